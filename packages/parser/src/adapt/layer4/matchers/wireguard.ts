/** @module layer4/matchers/wireguard: the `wireguard` matcher (caddy-l4 `MatchWireGuard`): WireGuard handshake initiations (UDP). */
import type { Layer4WireguardMatcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, noBlock, parseGoInt } from '../syntax.js';

/** `wireguard [<zero>]` -> `{"zero": <uint32>}`: the value of the reserved bytes (0 when unset). */
export const MatchWireGuard = matcher(
  'wireguard',
  {
    syntax: 'wireguard [<zero uint32>]',
    doc: 'Matches WireGuard handshake initiations (the reserved zero field may be customised).',
  },
  (d) => {
    const wrapper = consumeName(d);
    if (d.countRemainingArgs() > 1) throw d.argErr();
    let zero: number | undefined;
    if (d.nextArg()) {
      const z = parseGoInt(d.val(), 32, false);
      if (typeof z === 'string') throw d.err(`parsing ${wrapper} zero: ${z}`);
      zero = z;
    }
    noBlock(d, `${wrapper} matcher`);
    return struct<Layer4WireguardMatcher>({ zero });
  },
);
