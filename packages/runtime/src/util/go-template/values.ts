/**
 * @module util/go-template/values: how JS values stand for Go values in templates.
 *
 * undefined and null are nil; booleans are bool; integral numbers are int and others float64 (so a Go float
 * that happens to be integral prints and compares as an int); strings are strings; arrays are []interface {};
 * Uint8Arrays are []byte; Maps and plain objects are map[string]interface {}; functions are funcs; instances
 * of classes are structs, whose capitalised properties are fields and whose capitalised methods are methods.
 */

/**
 * A float64 whose value is integral (3.0, 1e6): a plain JS number of that value would be an int. Values that
 * are not integral stay plain numbers.
 */
export class GoFloat {
  constructor(readonly v: number) {}
}

/** A float64 value: boxed when integral so that it keeps printing and comparing as a float. */
export function goFloat(n: number): number | GoFloat {
  return Number.isInteger(n) ? new GoFloat(n) : n;
}

/** The number in a value (unboxes GoFloat); other values as they are. */
export function num<T>(v: T | GoFloat): T | number {
  return v instanceof GoFloat ? v.v : v;
}

export type Kind = 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'bytes' | 'map' | 'func' | 'struct';

/** A Go struct value can name its Go type for messages (`%T`, "can't evaluate field X in type T"). */
export const GO_TYPE: unique symbol = Symbol('goType');

/** A Go struct value can list the fields fmt prints (when they are not its own capitalised properties). */
export const GO_FIELDS: unique symbol = Symbol('goFields');

/** Set to false on a Go struct value that encoding/json cannot marshal (it holds funcs or channels). */
export const GO_JSON: unique symbol = Symbol('goJson');

export function kindOf(v: unknown): Kind {
  if (v === undefined || v === null) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) && Math.abs(v as number) < 2 ** 63 ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
  }
  if (v instanceof GoFloat) return 'float';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Map) return 'map';
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) return 'map';
  return 'struct';
}

/** The Go type name of a value, as %T prints it. */
export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return '[]interface {}';
    case 'bytes':
      return '[]uint8';
    case 'map':
      return 'map[string]interface {}';
    case 'func':
      return 'func(...interface {}) interface {}';
    case 'struct': {
      const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
      if (t) return t;
      if (v instanceof Error) return '*errors.errorString';
      return `*${(v as object).constructor?.name ?? 'struct'}`;
    }
  }
}

/** Map entries with Go's fmt/template order: keys sorted (numbers numerically, strings bytewise). */
export function mapEntries(m: unknown): Array<[unknown, unknown]> {
  const entries: Array<[unknown, unknown]> =
    m instanceof Map ? [...(m as Map<unknown, unknown>).entries()] : Object.entries(m as object);
  return entries.sort(([a], [b]) => compareKeys(a, b));
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Looks up a map key; undefined when absent. */
export function mapGet(m: unknown, key: unknown): unknown {
  if (m instanceof Map) return (m as Map<unknown, unknown>).get(key);
  const o = m as Record<string, unknown>;
  const k = String(key);
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

export function mapHas(m: unknown, key: unknown): boolean {
  if (m instanceof Map) return (m as Map<unknown, unknown>).has(key);
  return Object.hasOwn(m as object, String(key));
}

export function mapSize(m: unknown): number {
  return m instanceof Map ? m.size : Object.keys(m as object).length;
}

/** Go's template truth: false, 0, "", nil and empty collections are false; structs are true. */
export function truth(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return num(v) !== 0 && v !== 0n;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
    case 'bytes':
      return (v as ArrayLike<unknown>).length > 0;
    case 'map':
      return mapSize(v) > 0;
    default:
      return true;
  }
}

/** The length of a Go string in bytes. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
