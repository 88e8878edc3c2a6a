/** @module http/handlers/templates/sprig/math: Sprig's integer and float arithmetic and random values. */
import { randomInt, randomUUID } from 'node:crypto';
import { def } from '../../../../util/go-template/template.js';
import { goFloat } from '../../../../util/go-template/values.js';
import { V, MAX_STRING, str, toInt, toFloat } from './convert.js';
import type { FuncDef } from '../../../../util/go-template/template.js';

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${ALPHA}0123456789`;
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

export const mathFuncs: Record<string, FuncDef> = {
  add: def((...a: unknown[]) => sum(a, (x, y) => x + y), 0, V),
  add1: def((a: unknown) => toInt(a) + 1, 1),
  sub: def((a: unknown, b: unknown) => toInt(a) - toInt(b), 2),
  mul: def((...a: unknown[]) => sum(a, (x, y) => x * y), 1, V),
  div: def((a: unknown, b: unknown) => {
    if (toInt(b) === 0) throw new Error('runtime error: integer divide by zero');
    return Math.trunc(toInt(a) / toInt(b));
  }, 2),
  mod: def((a: unknown, b: unknown) => {
    if (toInt(b) === 0) throw new Error('runtime error: integer divide by zero');
    return toInt(a) % toInt(b);
  }, 2),
  biggest: def((a: unknown, ...r: unknown[]) => Math.max(toInt(a), ...r.map(toInt)), 1, V),
  max: def((a: unknown, ...r: unknown[]) => Math.max(toInt(a), ...r.map(toInt)), 1, V),
  min: def((a: unknown, ...r: unknown[]) => Math.min(toInt(a), ...r.map(toInt)), 1, V),
  floor: def((a: unknown) => goFloat(Math.floor(toFloat(a))), 1),
  ceil: def((a: unknown) => goFloat(Math.ceil(toFloat(a))), 1),
  round: def((a: unknown, p: unknown) => {
    const f = 10 ** toInt(p);
    return goFloat(Math.round(toFloat(a) * f) / f);
  }, 2),
  int: def((a: unknown) => toInt(a), 1),
  int64: def((a: unknown) => toInt(a), 1),
  float64: def((a: unknown) => goFloat(toFloat(a)), 1),
  atoi: def((a: unknown) => toInt(str(a)), 1),
  uuidv4: def(() => randomUUID(), 0),
  randAlphaNum: def((n: unknown) => randomString(toInt(n), ALNUM), 1),
  randAlpha: def((n: unknown) => randomString(toInt(n), ALPHA), 1),
  randNumeric: def((n: unknown) => randomString(toInt(n), '0123456789'), 1),
  randAscii: def((n: unknown) => randomString(toInt(n), ASCII), 1),
  randInt: def((min: unknown, max: unknown) => randomInt(toInt(min), Math.max(toInt(min) + 1, toInt(max))), 2),
  shuffle: def((v: unknown) => {
    const a = [...str(v)];
    for (let i = a.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a.join('');
  }, 1),
};

function sum(args: unknown[], f: (a: number, b: number) => number): number {
  return args.map(toInt).reduce(f);
}

function randomString(n: number, from: string): string {
  let out = '';
  for (let i = 0; i < Math.min(Math.max(n, 0), MAX_STRING); i++) out += from[randomInt(from.length)];
  return out;
}
