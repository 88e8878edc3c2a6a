/** @module layer4/matchers/prefix: shared logic of matchers that compare the first bytes with fixed signatures. */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import type { Matcher } from '../types.js';
import { MORE } from '../types.js';

/** Matches when the stream starts with one of `prefixes`; needs only as many bytes as it takes to decide. */
export function prefixMatcher(prefixes: Buffer[], json: unknown, path: string): Matcher {
  if (json !== undefined && json !== null && (typeof json !== 'object' || Object.keys(json).length > 0)) {
    throw new Layer4ConfigError(path, 'expected {}');
  }
  return {
    match(cx: Connection) {
      const buf = cx.buffer;
      let more = false;
      for (const p of prefixes) {
        const n = Math.min(buf.length, p.length);
        if (!buf.subarray(0, n).equals(p.subarray(0, n))) continue;
        if (n === p.length) return true;
        more = true;
      }
      return more ? MORE : false;
    },
  };
}
