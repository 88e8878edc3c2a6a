/** @module modules/unsupported: Caddy modules this runtime knows but does not build, so configs using them fail clearly. */
import { unsupportedModules, type AnyModule } from '../modules.js';

export const unsupported: AnyModule[] = [
  ...unsupportedModules('this runtime does not implement it', [
    'http.matchers.expression',
    'http.matchers.path_regexp_escaped',
    'http.handlers.push',
    'http.handlers.tracing',
    'http.handlers.metrics',
    'http.matchers.url_pattern',
    'http.reverse_proxy.upstreams.srv',
    'http.reverse_proxy.upstreams.multi',
    'http.handlers.acme_server',
    'tls.issuance.zerossl',
    'tls.handshake_match.remote_ip_not',
  ]),
  ...unsupportedModules('this app is not available in this build', ['events']),
];
