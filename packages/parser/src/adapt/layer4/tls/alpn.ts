/** @module layer4/tls/alpn: caddy-l4's `tls.handshake_match.alpn` (`MatchALPN`): the protocols the client offers. */
import type { HandshakeMatchers, ModuleDefinition } from '../registry.js';
import { noBlock } from '../syntax.js';

/** `alpn <protocols...>` (repeatable; lines merge) -> `["h2", "postgresql"]`: true if the client offers any. */
export const MatchALPN: ModuleDefinition = {
  kind: 'tls-handshake-matcher',
  name: 'alpn',
  syntax: 'alpn <protocols...>',
  doc: 'Matches if the client offers any of these ALPN protocols.',
  parse: (d): HandshakeMatchers['alpn'] => {
    const protocols: string[] = [];
    while (d.next()) {
      const wrapper = d.val();
      if (d.countRemainingArgs() === 0) throw d.argErr();
      protocols.push(...d.remainingArgs());
      noBlock(d, `TLS handshake matcher '${wrapper}'`);
    }
    return protocols;
  },
};
