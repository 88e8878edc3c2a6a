/** @module directives/weak-string: Caddy's `WeakString` encoding (status codes): numbers and booleans unquoted. */
import type { JsonValue } from '../json.js';

/** `"404"` → 404, `"true"` → true, anything else stays a string. */
export function weakString(s: string): JsonValue {
  if (s === 'true') return true;
  if (s === 'false') return false;
  // Go's strconv.Atoi: an optional sign and decimal digits, within int64; floats stay strings.
  if (/^[+-]?\d+$/.test(s)) {
    const n = BigInt(s);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return Number(n);
  }
  return s;
}

/** Whether a single argument is a status code: exactly 3 chars, a positive integer. */
export function isStatusCode(s: string): boolean {
  return s.length === 3 && /^\+?\d+$/.test(s) && Number(s) > 0;
}
