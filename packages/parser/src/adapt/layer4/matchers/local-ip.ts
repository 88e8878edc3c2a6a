/** @module layer4/matchers/local-ip: the `local_ip` matcher (caddy-l4 `MatchLocalIP`): the local (server) IP. */
import type { Layer4IpMatcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, expandRanges, noBlock } from '../syntax.js';

/** `local_ip <ranges...>` (`private_ranges` expands) -> `{"ranges": [...]}`. */
export const MatchLocalIP = matcher(
  'local_ip',
  {
    syntax: 'local_ip <ranges...|private_ranges>',
    doc: 'Matches connections accepted on a local address in these IP ranges.',
  },
  (d) => {
    const wrapper = consumeName(d);
    if (d.countRemainingArgs() === 0) throw d.argErr();
    const ranges = expandRanges(d.remainingArgs());
    noBlock(d, `${wrapper} matcher`);
    return struct<Layer4IpMatcher>({ ranges });
  },
);
