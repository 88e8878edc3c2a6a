/**
 * @module json: JSON values and Caddy's byte-exact encoding: Go struct order is kept by building objects in
 * field order, module objects get every key sorted (Caddy's `JSONModuleObject`), and strings get Go's HTML
 * escaping.
 */
import { compareBytes } from './core/go-sort.js';

/** Any JSON value. `undefined` members are dropped when encoding (Go's `omitempty`). */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

function sortDeep(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  // Already in order (a module object inside another, a matcher set): shared as it is, not copied again.
  if (isCanonical(v)) return v;
  if (Array.isArray(v)) {
    const arr: unknown[] = [];
    for (let i = 0; i < v.length; i++) arr.push(sortDeep(v[i]));
    return arr;
  }
  const keys = sortKeys(Object.keys(v));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortDeep(x);
  }
  return out;
}

/** Whether `sortDeep` would give an equal value: plain objects and arrays, keys sorted, no undefined members. */
function isCanonical(v: object): boolean {
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && !isCanonical(x)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  let prev: string | undefined;
  for (const k in v) {
    if (prev !== undefined && compareKeys(prev, k) >= 0) return false;
    prev = k;
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) return false;
    if (x !== null && typeof x === 'object' && !isCanonical(x)) return false;
  }
  return true;
}

/**
 * Sorts object keys in place with `compareKeys`. Objects have few keys, often in order already: insertion sort
 * finds that in one pass and, unlike `Array.prototype.sort`, allocates nothing.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort(compareKeys);
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && compareKeys(keys[j]!, k) > 0) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** Byte-wise key order, as Go sorts map keys. */
export function compareKeys(a: string, b: string): number {
  return compareBytes(a, b);
}

/**
 * Whether T is the untyped `JsonObject` (an index signature of JSON values) rather than a contract type; a
 * type literal whose fields all happen to be JSON values is a contract type.
 */
type Untyped<T> = string extends keyof T ? ([T] extends [JsonObject] ? true : false) : false;
/** T's named fields (not its index signatures). */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: 0 } & keyof T;
/** The string-literal values of T's fields: a module type's name (`'static_response'` of `handler`). */
type LiteralFields<T> = {
  [K in KnownKeys<T>]: string extends Exclude<T[K], undefined>
    ? never
    : Exclude<T[K], undefined> extends string
      ? Exclude<T[K], undefined>
      : never;
}[KnownKeys<T>];
/** The module names T admits: its literal names, or any string when its name field is a plain string. */
type ModuleName<T> = [LiteralFields<T>] extends [never] ? string : LiteralFields<T>;

/**
 * Caddy's `caddyconfig.JSONModuleObject(val, fieldName, fieldVal)`: the value with `fieldName` added, and
 * every key at every depth sorted (the Go code round-trips through `map[string]any`). Parts of `value` already
 * in that order are shared, not copied: treat both as read-only afterwards. With a type argument
 * (`moduleObject<TemplatesHandler>('handler', 'templates', {...})`) the name and the fields are checked against
 * that contract type and the result has it; without one, anything goes and the result is a `JsonObject`.
 */
export function moduleObject<T extends object = JsonObject>(
  fieldName: NoInfer<Untyped<T> extends true ? string : keyof T & string>,
  fieldValue: NoInfer<Untyped<T> extends true ? string : ModuleName<T>>,
  value: NoInfer<Untyped<T> extends true ? object : StructFields<T>>,
): NoInfer<T> {
  // sortDeep's work without first copying the value to add the field.
  const fields = value as Record<string, unknown>;
  const keys = Object.keys(fields);
  if (!keys.includes(fieldName)) keys.push(fieldName);
  sortKeys(keys);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const x = k === fieldName ? fieldValue : fields[k];
    if (x !== undefined) out[k] = sortDeep(x);
  }
  return out as T;
}

/** Every key at every depth sorted, as for a value that went through `map[string]any`. */
export function sortedObject<T>(value: T): T {
  return sortDeep(value) as T;
}

/** Go map encoding: keys sorted byte-wise, one level. */
export function sortedMap<T>(map: Record<string, T> | Map<string, T>): Record<string, T> {
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
  entries.sort((a, b) => compareKeys(a[0], b[0]));
  const out: Record<string, T> = {};
  for (const [k, v] of entries) out[k] = v;
  return out;
}

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Encodes a config as Caddy prints it: compact by default, or indented with `indent` (a tab for `caddy adapt
 * --pretty`); `<`, `>`, `&`, U+2028 and U+2029 escaped as Go does.
 */
export function stringifyConfig(config: unknown, options: { indent?: string } = {}): string {
  const text = JSON.stringify(config, null, options.indent) ?? 'null';
  // Safe on the whole text: these characters can only occur inside strings.
  return text.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** Whether a value is "empty" in Go's omitempty sense (after conversion to JSON). */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return false;
    return true;
  }
  return false;
}

/**
 * The fields `struct<T>` accepts: T's fields, each optional (empty ones are dropped anyway). An object literal
 * gets TypeScript's excess-property check against it, so a field T does not define fails to compile. Without
 * a type argument T is `JsonObject` and any fields go, as before the adapter was typed.
 */
export type StructFields<T> = T extends unknown
  ? Untyped<T> extends true
    ? Record<string, unknown>
    : { [K in keyof T]?: T[K] | undefined }
  : never;

/**
 * Builds a Go struct value: fields in the order given, empty ones dropped where marked omitempty (all
 * fields are omitempty unless listed in `keep`). With a type argument (`struct<StaticResponseHandler>({...})`)
 * the fields are checked against that contract type and the result has it.
 */
export function struct<T extends object = JsonObject>(
  fields: NoInfer<StructFields<T>>,
  keep: readonly NoInfer<keyof T & string>[] = [],
): NoInfer<T> {
  const out: Record<string, unknown> = {};
  const given = fields as Record<string, unknown>;
  for (const k in given) {
    const v = given[k];
    if (!isEmpty(v) || (keep as readonly string[]).includes(k)) out[k] = v;
  }
  return out as T;
}
