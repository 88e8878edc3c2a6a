/** @module http/handlers/templates/sprig/convert: how Sprig reads its arguments (cast.ToInt64, strval, empty). */
import { ArgTypeError } from '../../../../util/go-template/exec.js';
import { formatValue } from '../../../../util/go-template/fmt.js';
import { goTypeName, kindOf, num, truth } from '../../../../util/go-template/values.js';

/** Variadic. */
export const V = Number.POSITIVE_INFINITY;
/** The longest string repeat builds (where Go would try, and a JS string of that size would end the process). */
export const MAX_STRING = 64 << 20;

/** Sprig's strval: strings as they are, errors and Stringers through their method, anything else in %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString();
  return formatValue(v, 'v');
}

/** Go's parameter conversion for a string parameter. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  throw new ArgTypeError('string', goTypeName(v));
}

/** cast.ToInt64 as Sprig uses it: numbers truncated, numeric strings parsed, anything else 0. */
export function toInt(x: unknown): number {
  const v = num(x);
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = /^[+-]?\d+$/.test(v.trim())
      ? Number.parseInt(v, 10)
      : /^0x[0-9a-f]+$/i.test(v)
        ? Number.parseInt(v, 16)
        : 0;
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

export function toFloat(x: unknown): number {
  const v = num(x);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) && v.trim() !== '' ? n : 0;
  }
  return 0;
}

/** Sprig's empty: nil, zero values and empty collections; structs never are. */
export function empty(v: unknown): boolean {
  return kindOf(v) === 'struct' ? false : !truth(v);
}

export function list(v: unknown, fn: string): unknown[] {
  const k = kindOf(v);
  if (k === 'slice') return v as unknown[];
  if (k === 'bytes') return [...(v as Uint8Array)];
  throw new Error(`Cannot find ${fn} on type ${goTypeName(v)}`);
}

export function range(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  if (step === 0) return out;
  for (let i = start; step > 0 ? i < end : i > end; i += step) {
    out.push(i);
    if (out.length > 1_000_000) break;
  }
  return out;
}

export function goKind(v: unknown): string {
  switch (kindOf(v)) {
    case 'nil':
      return 'invalid';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'bytes':
    case 'slice':
      return 'slice';
    case 'struct':
      return 'ptr';
    default:
      return kindOf(v);
  }
}
