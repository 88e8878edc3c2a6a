/** @module layer4/matchers/vars-regexp: the `vars_regexp` matcher (caddy-l4 `MatchVarsRE`): a regexp over a variable. */
import type { Layer4VarsRegexpMatcher } from '@proxy/contract';
import { struct, sortedMap } from '../../json.js';
import { matcher } from '../registry.js';

/**
 * `vars_regexp [<name>] <variable|{placeholder}> <regexp>` -> `{"<variable>": {"name", "pattern"}}`; the
 * name (for `{l4.regexp.<name>.<group>}`) defaults to the matcher set's name.
 */
export const MatchVarsRE = matcher(
  'vars_regexp',
  {
    syntax: 'vars_regexp [<name>] <key> <regexp>',
    doc: 'Matches when a layer4 variable or placeholder matches a regular expression; captures become placeholders.',
  },
  (d, ctx) => {
    const vars: Layer4VarsRegexpMatcher = {};
    while (d.next()) {
      const args = d.remainingArgs();
      if (args.length < 2 || args.length > 3) throw d.argErr();
      const [name, field, pattern] = args.length === 3 ? args : [undefined, args[0], args[1]];
      vars[field!] = struct<Layer4VarsRegexpMatcher[string]>({ name: name || ctx.matcherName, pattern: pattern! }, [
        'pattern',
      ]);
      if (d.nextBlock(0)) throw d.err('malformed vars_regexp matcher: blocks are not supported');
    }
    return sortedMap(vars);
  },
);
