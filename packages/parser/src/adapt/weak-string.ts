/** @module weak-string: Caddy's `caddyhttp.WeakString` as the adapter writes it into JSON, and status-code arguments. */
import { atoi } from './atoi.js';
import type { WeakString } from '@proxy/contract';

/** WeakString.MarshalJSON: "true"/"false" -> booleans, what strconv.Atoi takes -> numbers, else the string. */
export function weakString(s: string): WeakString {
  if (s === 'true') return true;
  if (s === 'false') return false;
  const n = atoi(s);
  return typeof n === 'number' ? n : s;
}

/** Whether a single argument is a status code: exactly 3 chars, a positive integer. */
export function isStatusCode(s: string): boolean {
  return s.length === 3 && /^\+?\d+$/.test(s) && Number(s) > 0;
}
