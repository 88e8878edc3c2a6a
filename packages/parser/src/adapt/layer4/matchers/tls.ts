/** @module layer4/matchers/tls: the `tls` matcher (caddy-l4 `MatchTLS`): TLS ClientHellos, by handshake matchers. */
import { matcher } from '../registry.js';
import { consumeName } from '../syntax.js';
import { parseHandshakeMatcherSet } from '../tls/handshake-matcher-set.js';

/**
 * `tls`, `tls <matcher> [<args...>]` or `tls { <matcher> [<args...>] ... }` with `tls.handshake_match.*`
 * matchers (sni, sni_regexp, alpn, remote_ip, local_ip), all AND-ed -> `{"alpn": [...], "sni": [...]}`.
 */
export const MatchTLS = matcher(
  'tls',
  {
    syntax: 'tls [<handshake matcher> <args...>] | tls { <handshake matchers...> }',
    doc: 'Matches TLS ClientHellos, optionally by TLS handshake matchers (sni, sni_regexp, alpn, remote_ip, local_ip).',
  },
  (d) => {
    consumeName(d);
    return parseHandshakeMatcherSet(d);
  },
);
