/** @module layer4/matchers/not: the `not` matcher (caddy-l4 `MatchNot`): negates a matcher set. */
import { parseMatcherSet } from '../nested.js';
import { matcher } from '../registry.js';
import { consumeName } from '../syntax.js';

/**
 * `not <matcher> [<args...>]` or `not { <matcher> ... }`: one matcher set (AND inside), JSON
 * `[{...}]`; true when the set does not match.
 */
export const MatchNot = matcher(
  'not',
  {
    syntax: 'not <matcher> [<args...>] | not { <matchers...> }',
    doc: 'Matches connections that the enclosed matcher set (AND-ed) does not match.',
  },
  (d, ctx) => {
    consumeName(d);
    return [parseMatcherSet(d, ctx)];
  },
);
