/** @module layer4/matchers/remote-ip: the `remote_ip` matcher (caddy-l4 `MatchRemoteIP`): the client's IP. */
import type { Layer4IpMatcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, expandRanges, noBlock } from '../syntax.js';

/** `remote_ip <ranges...>` (`private_ranges` expands) -> `{"ranges": [...]}`. */
export const MatchRemoteIP = matcher(
  'remote_ip',
  {
    syntax: 'remote_ip <ranges...|private_ranges>',
    doc: 'Matches connections from a remote address in these IP ranges.',
  },
  (d) => {
    const wrapper = consumeName(d);
    if (d.countRemainingArgs() === 0) throw d.argErr();
    const ranges = expandRanges(d.remainingArgs());
    noBlock(d, `${wrapper} matcher`);
    return struct<Layer4IpMatcher>({ ranges });
  },
);
