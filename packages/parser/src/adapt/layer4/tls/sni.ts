/** @module layer4/tls/sni: Caddy's `tls.handshake_match.sni` (`MatchServerName`): the ClientHello's server name. */
import type { HandshakeMatchers, ModuleDefinition } from '../registry.js';
import { noBlock } from '../syntax.js';

/** `sni <names...>` (repeatable; lines merge) -> `["a.example.com", "*.example.com"]`. */
export const MatchServerName: ModuleDefinition = {
  kind: 'tls-handshake-matcher',
  name: 'sni',
  syntax: 'sni <names...>',
  doc: "Matches the ClientHello's server name (wildcards allowed).",
  parse: (d): HandshakeMatchers['sni'] => {
    const names: string[] = [];
    while (d.next()) {
      const wrapper = d.val();
      if (d.countRemainingArgs() === 0) throw d.argErr();
      names.push(...d.remainingArgs());
      noBlock(d, `TLS handshake matcher '${wrapper}'`);
    }
    return names;
  },
};
