/** @module layer4/tls/remote-ip: Caddy's `tls.handshake_match.remote_ip` (`MatchRemoteIP`): the client's IP during the handshake. */
import { struct } from '../../json.js';
import type { HandshakeMatchers, ModuleDefinition } from '../registry.js';
import { expandRanges, noBlock } from '../syntax.js';

/** `remote_ip <[!]ranges...>` (repeatable; `!` excludes; `private_ranges` expands) -> `{"ranges", "not_ranges"}`. */
export const MatchTLSRemoteIP: ModuleDefinition = {
  kind: 'tls-handshake-matcher',
  name: 'remote_ip',
  syntax: 'remote_ip <ranges...|private_ranges>',
  doc: 'Matches the remote address (prefix a range with ! to exclude it).',
  parse: (d): HandshakeMatchers['remote_ip'] => {
    const ranges: string[] = [];
    const notRanges: string[] = [];
    while (d.next()) {
      const wrapper = d.val();
      if (d.countRemainingArgs() === 0) throw d.argErr();
      for (const arg of d.remainingArgs()) {
        const negated = arg.length > 1 && arg.startsWith('!');
        (negated ? notRanges : ranges).push(...expandRanges([negated ? arg.slice(1) : arg]));
      }
      noBlock(d, `TLS handshake matcher '${wrapper}'`);
    }
    return struct<HandshakeMatchers['remote_ip']>({ ranges, not_ranges: notRanges });
  },
};
