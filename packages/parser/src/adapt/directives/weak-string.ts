/** @module directives/weak-string: Caddy's `WeakString` encoding (status codes): numbers and booleans unquoted. */
import type { JsonValue } from '../json.js';

/** `"404"` → 404, `"true"` → true, anything else stays a string. */
export function weakString(s: string): JsonValue {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^-?\d+$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
  if (/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  return s;
}

/** Whether a single argument is a status code: exactly 3 chars, a positive integer. */
export function isStatusCode(s: string): boolean {
  return s.length === 3 && /^\+?\d+$/.test(s) && Number(s) > 0;
}
