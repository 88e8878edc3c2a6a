/** @module layer4/matchers/proxy-protocol: the `proxy_protocol` matcher (caddy-l4 `MatchProxyProtocol`), which matches PROXY protocol v1/v2 headers. */
import { matcher } from '../registry.js';
import { bareModule } from '../syntax.js';

/** `proxy_protocol`: no arguments, no block; JSON `{}`. */
export const MatchProxyProtocol = matcher(
  'proxy_protocol',
  {
    syntax: 'proxy_protocol',
    doc: 'Matches connections that start with a PROXY protocol (v1 or v2) header.',
  },
  (d) => {
    bareModule(d, 'matcher');
    return {};
  },
);
