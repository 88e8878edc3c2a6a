/** @module layer4/matchers/socks5: the `socks5` matcher (caddy-l4 `MatchSocks5`): SOCKSv5 greetings. */
import type { Layer4Socks5Matcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, intValue, noArgs, noNestedBlock, someArgs } from '../syntax.js';

/**
 * `socks5` or `socks5 { auth_methods <0-255>... }` -> `{"auth_methods": [...]}`: every method the client
 * offers must be allowed (default: 0, 1, 2).
 */
export const MatchSocks5 = matcher(
  'socks5',
  {
    syntax: 'socks5 [{ auth_methods <ints...> }]',
    doc: 'Matches SOCKSv5 greetings, optionally by the authentication methods offered.',
    subdirectives: [
      { name: 'auth_methods', syntax: 'auth_methods <ints...>', doc: 'The authentication method numbers to accept.' },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const methods: number[] = [];
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      if (option !== 'auth_methods') throw d.argErr();
      for (const m of someArgs(d)) methods.push(intValue(d, m, wrapper, option, 8, false));
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4Socks5Matcher>({ auth_methods: methods });
  },
);
