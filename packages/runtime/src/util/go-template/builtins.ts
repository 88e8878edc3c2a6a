/** @module util/go-template/builtins: the predefined functions of Go's text/template (funcs.go). */
import { ArgTypeError, type FuncDef, type ParamType, builtinMarker } from './exec.js';
import { formatValue, sprint, sprintf, sprintln } from './fmt.js';
import { isPrint } from './quote.js';
import { type Kind, byteLength, goTypeName, kindOf, mapGet, mapSize, num, truth } from './values.js';

/** A FuncDef with `min` required arguments and at most `max` (Infinity: variadic). */
export function def(fn: (...args: never[]) => unknown, min: number, max = min, types?: ParamType[]): FuncDef {
  return types ? { fn: fn as FuncDef['fn'], min, max, types } : { fn: fn as FuncDef['fn'], min, max };
}

const V = Number.POSITIVE_INFINITY;

/** Go's evalArgs: one string argument as is, anything else through fmt.Sprint. */
export function evalArgs(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

/** template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === "'"
        ? '&#39;'
        : c === '<'
          ? '&lt;'
          : c === '>'
            ? '&gt;'
            : c === '"'
              ? '&#34;'
              : '\uFFFD',
  );
}

/** template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    switch (c) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case '<':
        out += '\\u003C';
        break;
      case '>':
        out += '\\u003E';
        break;
      case '&':
        out += '\\u0026';
        break;
      case '=':
        out += '\\u003D';
        break;
      default: {
        const cp = c.codePointAt(0)!;
        if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
        else if (cp < 0x80 || isPrint(c)) out += c;
        else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      }
    }
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function toIndex(v: unknown): number {
  const k = kindOf(v);
  if (k !== 'int') {
    if (k === 'nil') throw new Error('cannot index slice/array with nil');
    throw new Error(`cannot index slice/array with type ${goTypeName(v)}`);
  }
  return Number(v);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  let v = item;
  if (v === undefined || v === null) throw new Error('index of untyped nil');
  for (const ix of indexes) {
    switch (kindOf(v)) {
      case 'string': {
        const b = Buffer.from(v as string);
        const i = toIndex(ix);
        if (i < 0 || i >= b.length) throw new Error(`index out of range: ${i}`);
        v = b[i];
        break;
      }
      case 'slice':
      case 'bytes': {
        const a = v as ArrayLike<unknown>;
        const i = toIndex(ix);
        if (i < 0 || i >= a.length) throw new Error(`index out of range: ${i}`);
        v = a[i];
        break;
      }
      case 'map':
        v = mapGet(v, ix);
        break;
      case 'nil':
        throw new Error('index of nil pointer');
      default:
        throw new Error(`can't index item of type ${goTypeName(v)}`);
    }
  }
  return v;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  const k = kindOf(item);
  if (k === 'nil') throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (k === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    len = byteLength(item as string);
  } else if (k === 'slice' || k === 'bytes') len = (item as ArrayLike<unknown>).length;
  else throw new Error(`can't slice item of type ${goTypeName(item)}`);
  const idx = [0, len];
  for (const [i, x] of indexes.entries()) {
    const n = toIndex(x);
    if (n < 0 || n > len) throw new Error(`index out of range: ${n}`);
    idx[i] = n;
  }
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (k === 'string')
    return Buffer.from(item as string)
      .subarray(idx[0], idx[1])
      .toString();
  if (k === 'bytes') return (item as Uint8Array).subarray(idx[0], idx[1]);
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'string':
      return byteLength(item as string);
    case 'slice':
    case 'bytes':
      return (item as ArrayLike<unknown>).length;
    case 'map':
      return mapSize(item);
    case 'nil':
      throw new Error('len of nil pointer');
    default:
      throw new Error(`len of type ${goTypeName(item)}`);
  }
}

type Basic = 'bool' | 'int' | 'float' | 'string';
const basic = (k: Kind): Basic | undefined =>
  k === 'bool' || k === 'int' || k === 'float' || k === 'string' ? k : undefined;

/** Go's eq: basic values of one kind by value; an int and a float64 are incompatible, as in Go. */
function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const ka = kindOf(a);
  for (const b of rest) {
    const kb = kindOf(b);
    if (ka !== kb) {
      if (ka !== 'nil' && kb !== 'nil') throw new Error('incompatible types for comparison');
      continue;
    }
    if (ka === 'nil') return true;
    if (!basic(ka) && (ka === 'slice' || ka === 'map' || ka === 'func' || ka === 'bytes'))
      throw new Error(`non-comparable type ${formatValue(b, 's')}: ${goTypeName(b)}`);
    if (num(a) === num(b)) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const ka = basic(kindOf(a));
  const kb = basic(kindOf(b));
  if (!ka || !kb || ka === 'bool' || kb === 'bool') throw new Error('invalid type for comparison');
  if (ka !== kb) throw new Error('incompatible types for comparison');
  return (num(a) as number | string) < (num(b) as number | string);
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (fn === undefined || fn === null) throw new Error('call of nil');
  if (typeof fn !== 'function') throw new Error(`non-function of type ${goTypeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args);
}

const and = (...args: unknown[]): unknown => {
  for (const a of args) if (!truth(a)) return a;
  return args[args.length - 1];
};
const or = (...args: unknown[]): unknown => {
  for (const a of args) if (truth(a)) return a;
  return args[args.length - 1];
};
builtinMarker.and = and;
builtinMarker.or = or;

/** text/template's builtins. */
export const builtins: Record<string, FuncDef> = {
  and: def(and, 1, V),
  call: def(call, 1, V),
  html: def((...a: unknown[]) => htmlEscape(evalArgs(a)), 0, V),
  index: def(index, 1, V),
  slice: def(slice, 1, V),
  js: def((...a: unknown[]) => jsEscape(evalArgs(a)), 0, V),
  len: def(length, 1),
  not: def((a: unknown) => !truth(a), 1),
  or: def(or, 1, V),
  print: def((...a: unknown[]) => sprint(a), 0, V),
  printf: def(
    (f: unknown, ...a: unknown[]) => {
      if (typeof f !== 'string') throw new ArgTypeError('string', goTypeName(f));
      return sprintf(f, a);
    },
    1,
    V,
    ['string', 'any'],
  ),
  println: def((...a: unknown[]) => sprintln(a), 0, V),
  urlquery: def((...a: unknown[]) => queryEscape(evalArgs(a)), 0, V),
  eq: def(eq, 1, V),
  ge: def((a: unknown, b: unknown) => !lt(a, b), 2),
  gt: def((a: unknown, b: unknown) => !lt(a, b) && !eq(a, b), 2),
  le: def((a: unknown, b: unknown) => lt(a, b) || eq(a, b), 2),
  lt: def(lt, 2),
  ne: def((a: unknown, b: unknown) => !eq(a, b), 2),
};
