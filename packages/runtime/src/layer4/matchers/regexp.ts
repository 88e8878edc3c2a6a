/** @module layer4/matchers/regexp: `layer4.matchers.regexp` — a regular expression over the first `count` bytes. */
import type { Layer4RegexpMatcher } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { compileGoRegexp } from '../regexp.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

export const createRegexpMatcher: MatcherFactory = (json, path) => {
  const cfg = (json ?? {}) as Layer4RegexpMatcher;
  if (typeof cfg.pattern !== 'string') throw new Layer4ConfigError(`${path}.pattern`, 'a pattern is required');
  const count = cfg.count ?? 4;
  if (!Number.isInteger(count) || count < 1 || count > 16384)
    throw new Layer4ConfigError(`${path}.count`, 'must be 1..16384');
  // Matched against latin1 text: one character per byte, as Go's regexp over []byte sees them.
  const re = compileGoRegexp(cfg.pattern, `${path}.pattern`);
  const hex = cfg.hex === true;
  return {
    match(cx: Connection) {
      if (cx.buffer.length < count) return MORE;
      const bytes = cx.buffer.subarray(0, count);
      return re.test(hex ? bytes.toString('hex').toUpperCase() : bytes.toString('latin1'));
    },
  };
};
