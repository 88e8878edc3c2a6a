/** @module modules/unsupported: Caddy modules this runtime knows but does not build, so configs using them fail clearly. */
import { unsupportedModules, type AnyModule } from '../modules.js';

export const unsupported: AnyModule[] = [
  ...unsupportedModules('this runtime does not implement it', [
    'http.matchers.path_regexp_escaped',
    'http.handlers.push',
    'http.matchers.url_pattern',
    'http.reverse_proxy.upstreams.srv',
    'http.reverse_proxy.upstreams.multi',
    'tls.issuance.zerossl',
    'tls.handshake_match.remote_ip_not',
    'caddy.config_loaders.http',
  ]),
];
