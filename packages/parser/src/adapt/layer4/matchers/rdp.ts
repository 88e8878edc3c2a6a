/** @module layer4/matchers/rdp: the `rdp` matcher (caddy-l4 `MatchRDP`): RDP connection requests. */
import type { Layer4RdpMatcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import {
  consumeName,
  expandRanges,
  intValue,
  noArgs,
  noNestedBlock,
  OnceOptions,
  singleArg,
  someArgs,
} from '../syntax.js';

/** Options that exclude each other: a cookie hash, a cookie IP/port, or custom info (plain or regexp). */
const GROUP: Record<string, string> = {
  cookie_hash: 'cookie_hash',
  cookie_hash_regexp: 'cookie_hash_regexp',
  cookie_ip: 'cookie_ip_port',
  cookie_port: 'cookie_ip_port',
  custom_info: 'custom_info',
  custom_info_regexp: 'custom_info_regexp',
};

/**
 * `rdp` or a block with one of: `cookie_hash <v>`, `cookie_hash_regexp <re>`, `cookie_ip <ranges...>` and/or
 * `cookie_port <ports...>`, `custom_info <v>`, `custom_info_regexp <re>`. JSON in Go struct order.
 */
export const MatchRDP = matcher(
  'rdp',
  {
    syntax:
      'rdp [{ cookie_hash <v> | cookie_hash_regexp <re> | cookie_ip <ranges...> cookie_port <ports...> | custom_info <v> | custom_info_regexp <re> }]',
    doc: 'Matches RDP connection requests, optionally by their cookie or routing token.',
    subdirectives: [
      { name: 'cookie_hash', syntax: 'cookie_hash <value>', doc: 'The mstshash cookie value.' },
      {
        name: 'cookie_hash_regexp',
        syntax: 'cookie_hash_regexp <regexp>',
        doc: 'A regular expression for the mstshash cookie.',
      },
      {
        name: 'cookie_ip',
        syntax: 'cookie_ip <ranges...>',
        doc: "IP ranges for the routing token's address (with cookie_port).",
      },
      { name: 'cookie_port', syntax: 'cookie_port <ports...>', doc: 'Ports for the routing token (with cookie_ip).' },
      { name: 'custom_info', syntax: 'custom_info <value>', doc: 'The custom routing info.' },
      {
        name: 'custom_info_regexp',
        syntax: 'custom_info_regexp <regexp>',
        doc: 'A regular expression for the custom routing info.',
      },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const once = new OnceOptions(wrapper);
    let group: string | undefined;
    const single: Record<string, string> = {};
    const ips: string[] = [];
    const ports: number[] = [];
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      const g = GROUP[option];
      if (g === undefined) throw d.argErr();
      if (group !== undefined && group !== g)
        throw d.err(`${wrapper} option '${option}' can't be combined with other options`);
      group = g;
      switch (option) {
        case 'cookie_ip':
          ips.push(...expandRanges(someArgs(d)));
          break;
        case 'cookie_port':
          for (const p of someArgs(d)) ports.push(intValue(d, p, wrapper, option, 16, false));
          break;
        default:
          once.mark(d, option);
          single[option] = singleArg(d);
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4RdpMatcher>({
      cookie_hash: single['cookie_hash'],
      cookie_hash_regexp: single['cookie_hash_regexp'],
      cookie_ips: ips,
      cookie_ports: ports,
      custom_info: single['custom_info'],
      custom_info_regexp: single['custom_info_regexp'],
    });
  },
);
