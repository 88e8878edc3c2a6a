/** @module layer4/matchers/regexp: the `regexp` matcher (caddy-l4 `MatchRegexp`): a regexp over the first bytes. */
import type { Layer4RegexpMatcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, noBlock, parseGoInt } from '../syntax.js';

/**
 * `regexp <pattern> [<count>] [hex]` (count and `hex` in any order) -> `{"count", "hex", "pattern"}`:
 * the pattern is matched against the first `count` bytes (4 when unset), or their upper-case hex with `hex`.
 */
export const MatchRegexp = matcher(
  'regexp',
  {
    syntax: 'regexp <pattern> [<count>] [hex]',
    doc: 'Matches the first <count> bytes (default 4) against a regular expression; hex compares their hex form.',
  },
  (d) => {
    const wrapper = consumeName(d);
    const n = d.countRemainingArgs();
    if (n === 0 || n > 3) throw d.argErr();
    d.nextArg();
    const pattern = d.val();
    let count: number | undefined;
    let hex = false;
    while (d.nextArg()) {
      const v = d.val();
      if (v === 'hex') {
        if (hex) throw d.err(`duplicate ${wrapper} argument '${v}'`);
        hex = true;
        continue;
      }
      if (count !== undefined) throw d.argErr();
      const c = parseGoInt(v, 16, false);
      if (typeof c === 'string') throw d.err(`parsing ${wrapper} count: ${c}`);
      count = c;
    }
    noBlock(d, `${wrapper} matcher`);
    return struct<Layer4RegexpMatcher>({ count, hex, pattern }, ['pattern']);
  },
);
