/** @module layer4/matchers/vars: the `vars` matcher (caddy-l4 `MatchVars`): connection variables or placeholders. */
import { sortedMap } from '../../json.js';
import { matcher } from '../registry.js';

/**
 * `vars <variable|{placeholder}> <values...>` -> `{"<variable>": ["<value>", ...]}`: true when the
 * variable has one of the values. Several lines merge into one map.
 */
export const MatchVars = matcher(
  'vars',
  {
    syntax: 'vars <key> <values...>',
    doc: 'Matches when a layer4 variable or placeholder has one of the values.',
  },
  (d) => {
    const vars: Record<string, string[]> = {};
    while (d.next()) {
      if (!d.nextArg()) throw d.err('malformed vars matcher: expected field name');
      const field = d.val();
      const values = d.remainingArgs();
      if (values.length === 0) throw d.err('malformed vars matcher: expected at least one value to match against');
      (vars[field] ??= []).push(...values);
      if (d.nextBlock(0)) throw d.err('malformed vars matcher: blocks are not supported');
    }
    return sortedMap(vars);
  },
);
