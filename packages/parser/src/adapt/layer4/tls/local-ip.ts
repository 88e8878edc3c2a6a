/** @module layer4/tls/local-ip: Caddy's `tls.handshake_match.local_ip` (`MatchLocalIP`): the server's IP during the handshake. */
import { struct } from '../../json.js';
import type { HandshakeMatchers, ModuleDefinition } from '../registry.js';
import { expandRanges, noBlock } from '../syntax.js';

/** `local_ip <ranges...>` (repeatable; `private_ranges` expands) -> `{"ranges": [...]}`. */
export const MatchTLSLocalIP: ModuleDefinition = {
  kind: 'tls-handshake-matcher',
  name: 'local_ip',
  syntax: 'local_ip <ranges...|private_ranges>',
  doc: 'Matches the local address of the connection.',
  parse: (d): HandshakeMatchers['local_ip'] => {
    const ranges: string[] = [];
    while (d.next()) {
      const wrapper = d.val();
      if (d.countRemainingArgs() === 0) throw d.argErr();
      ranges.push(...expandRanges(d.remainingArgs()));
      noBlock(d, `TLS handshake matcher '${wrapper}'`);
    }
    return struct<HandshakeMatchers['local_ip']>({ ranges });
  },
};
