/** @module layer4/matchers/quic: the `quic` matcher (caddy-l4 `MatchQUIC`): QUIC Initial packets (UDP), by the TLS ClientHello inside. */
import { matcher } from '../registry.js';
import { consumeName } from '../syntax.js';
import { parseHandshakeMatcherSet } from '../tls/handshake-matcher-set.js';

/**
 * `quic`, `quic <matcher> [<args...>]` or `quic { <matcher> [<args...>] ... }` with `tls.handshake_match.*`
 * matchers (sni, sni_regexp, alpn, remote_ip, local_ip), all AND-ed -> `{"alpn": [...], "sni": [...]}`.
 */
export const MatchQUIC = matcher(
  'quic',
  {
    syntax: 'quic [<handshake matcher> <args...>] | quic { <handshake matchers...> }',
    doc: 'Matches QUIC Initial packets, optionally by TLS handshake matchers on the ClientHello.',
  },
  (d) => {
    consumeName(d);
    return parseHandshakeMatcherSet(d);
  },
);
