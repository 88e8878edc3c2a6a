/** @module layer4/matchers/not: `layer4.matchers.not` — true iff none of its matcher sets match. */
import type { Connection } from '../connection.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

export const createNotMatcher: MatcherFactory = (json, path, compiler) => {
  const sets = compiler.matcherSets(json, path);
  return {
    match(cx: Connection) {
      const r = sets.match(cx);
      return r === MORE ? MORE : !r;
    },
  };
};
