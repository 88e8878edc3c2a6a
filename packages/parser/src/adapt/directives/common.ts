/** @module common: small Go-compatible helpers the leaf directives share (Atoi, humanize bytes, header keys, WeakString). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { compareBytes } from '../core/go-sort.js';
import { caddyDurationNs, type AdaptedHttpHandler, type AdaptedMatcherSet } from '@proxy/contract';
import type { JsonObject, JsonValue } from '../json.js';
import type { Route } from '../core/route.js';
import { atoi } from '../atoi.js';

export { atoi };
export { weakString } from '../weak-string.js';

/** Go's `strconv.ParseFloat(s, 64)`: the number, or the Go error text. */
export function parseFloat64(s: string): number | string {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?(inf|infinity|nan)$/i.test(s)) return Number(s);
  return `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`;
}

/** Go's `%q` for simple strings. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's `%v` of a string slice: `[a b c]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

const SIZES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 1024,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
  p: 1e15,
  pb: 1e15,
  pi: 1024 ** 5,
  pib: 1024 ** 5,
  e: 1e18,
  eb: 1e18,
  ei: 1024 ** 6,
  eib: 1024 ** 6,
};

/** go-humanize's `ParseBytes` ("4KB" -> 4000, "1gib" -> 1073741824): the size, or the error text. */
export function parseBytes(s: string): number | string {
  let last = 0;
  let comma = false;
  for (const ch of s) {
    if (!(/\d/.test(ch) || ch === '.' || ch === ',')) break;
    if (ch === ',') comma = true;
    last++;
  }
  let num = s.slice(0, last);
  if (comma) num = num.replaceAll(',', '');
  const f = parseFloat64(num);
  if (typeof f === 'string') return f;
  const unit = s.slice(last).trim().toLowerCase();
  const m = SIZES[unit];
  if (m === undefined) return `unhandled size name: ${unit}`;
  const v = f * m;
  if (v >= 2 ** 64) return `too large: ${s}`;
  return Math.trunc(v);
}

const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Go's `textproto.CanonicalMIMEHeaderKey` (what `http.Header.Set/Add` apply): `x-foo` -> `X-Foo`. */
export function canonicalHeaderKey(key: string): string {
  if (!TOKEN_CHARS.test(key)) return key;
  let upper = true;
  let out = '';
  for (const ch of key) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/** Reads one duration argument; `message` gets the value and Go error (e.g. `bad timeout value '%s': %v`). */
export function durationArg(d: Dispenser, message: (val: string, err: string) => string): number {
  if (!d.nextArg()) throw d.argErr();
  const v = caddyDurationNs(d.val());
  if (typeof v === 'string') throw d.err(message(d.val(), v));
  return v;
}

/** Reads one integer argument; `message` gets the value and Go error. */
export function intArg(d: Dispenser, message: (val: string, err: string) => string): number {
  if (!d.nextArg()) throw d.argErr();
  const v = atoi(d.val());
  if (typeof v === 'string') throw d.err(message(d.val(), v));
  return v;
}

/** Reads exactly one argument and nothing more on the line. */
export function oneArg(d: Dispenser): string {
  if (!d.nextArg()) throw d.argErr();
  const v = d.val();
  if (d.nextArg()) throw d.argErr();
  return v;
}

/** Adds a value under a header key, as `http.Header.Add` does (canonical key). */
export function headerAdd(h: Record<string, string[]>, key: string, value: string): void {
  const k = canonicalHeaderKey(key);
  (h[k] ??= []).push(value);
}

/** Sets a header key to one value, as `http.Header.Set` does (canonical key). */
export function headerSet(h: Record<string, string[]>, key: string, value: string): void {
  h[canonicalHeaderKey(key)] = [value];
}

/** A `caddyhttp.Route` value in struct order (group, match, handle, terminal). */
export function route(fields: {
  group?: string;
  match?: AdaptedMatcherSet[];
  handle: AdaptedHttpHandler[];
  terminal?: boolean;
}): Route {
  const r: Route = {};
  if (fields.group) r.group = fields.group;
  if (fields.match && fields.match.length > 0) r.match = fields.match;
  if (fields.handle.length > 0) r.handle = fields.handle;
  if (fields.terminal) r.terminal = true;
  return r;
}

/** Route lists a directive returns to keep together (the pipeline's type, re-exported for the directives). */
export { isSubrouteValue, type SubrouteValue } from '../core/route.js';

/** Go's `sort.Strings` order (byte-wise). */
export function compareStrings(a: string, b: string): number {
  return compareBytes(a, b);
}

/**
 * Drops the named fields holding Go zero values (0 or ""), as `omitempty` does for plain number and string
 * fields. Only for struct fields: map entries keep their zero values.
 */
export function omitZero<T extends object>(obj: T | undefined, ...keys: AnyKey<T>[]): void {
  if (!obj) return;
  const o = obj as Record<string, unknown>;
  for (const k of keys) if (o[k] === 0 || o[k] === '') delete o[k];
}

/** The field names of any member of a union. */
type AnyKey<T> = T extends unknown ? keyof T & string : never;

/** The fields of T that hold arrays. */
type ArrayField<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T] & string;
/** The element type of an array field. */
type ElementOf<F> = NonNullable<F> extends readonly (infer E)[] ? E : never;

/**
 * Appends to a slice field, as Go's `append(field, items...)`: appending nothing to a nil slice leaves it nil,
 * so the field stays absent (omitempty).
 */
export function appendField<T extends object, K extends T extends JsonObject ? string : ArrayField<T>>(
  obj: T,
  key: K,
  items: readonly (T extends JsonObject ? JsonValue : ElementOf<T[K & keyof T]>)[],
): void {
  if (items.length === 0) return;
  const o = obj as Record<string, unknown[] | undefined>;
  (o[key] ??= []).push(...items);
}
