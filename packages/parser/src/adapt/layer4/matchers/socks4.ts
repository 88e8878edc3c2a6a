/** @module layer4/matchers/socks4: the `socks4` matcher (caddy-l4 `MatchSocks4`): SOCKSv4 requests. */
import type { Layer4Socks4Matcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, expandRanges, intValue, noArgs, noNestedBlock, someArgs } from '../syntax.js';

const COMMANDS = ['CONNECT', 'BIND'];

/**
 * `socks4` or a block of `commands <CONNECT|BIND>...`, `networks <ranges...>` (`private_ranges` expands) and
 * `ports <ports...>`, all repeatable -> `{"commands", "networks", "ports"}`.
 */
export const MatchSocks4 = matcher(
  'socks4',
  {
    syntax: 'socks4 [{ commands <CONNECT|BIND...>; networks <cidrs...>; ports <ports...> }]',
    doc: 'Matches SOCKSv4 requests, optionally by command, destination network and port.',
    subdirectives: [
      { name: 'commands', syntax: 'commands <CONNECT|BIND...>', doc: 'The commands to accept.' },
      { name: 'networks', syntax: 'networks <cidrs...>', doc: 'The destination networks to accept.' },
      { name: 'ports', syntax: 'ports <ports...>', doc: 'The destination ports to accept.' },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const commands: string[] = [];
    const networks: string[] = [];
    const ports: number[] = [];
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'commands':
          for (const c of someArgs(d)) {
            // Checked case-insensitively, kept as written (the module upper-cases at provision).
            if (!COMMANDS.includes(c.toUpperCase()))
              throw d.err(`malformed ${wrapper} option '${option}': unrecognized command '${c}'`);
            commands.push(c);
          }
          break;
        case 'networks':
          networks.push(...expandRanges(someArgs(d)));
          break;
        case 'ports':
          for (const p of someArgs(d)) ports.push(intValue(d, p, wrapper, option, 16, false));
          break;
        default:
          throw d.argErr();
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4Socks4Matcher>({ commands, networks, ports });
  },
);
