/** @module http/handlers/templates/sprig/lists: Sprig's lists and dicts. */
import { def } from '../../../../util/go-template/template.js';
import { goTypeName, kindOf, mapGet, mapHas } from '../../../../util/go-template/values.js';
import { V, strval, str, toInt, empty, list, range, goKind } from './convert.js';
import type { FuncDef } from '../../../../util/go-template/template.js';

export const listsFuncs: Record<string, FuncDef> = {
  list: def((...a: unknown[]) => a, 0, V),
  tuple: def((...a: unknown[]) => a, 0, V),
  first: def((l: unknown) => list(l, 'first')[0], 1),
  last: def((l: unknown) => list(l, 'last').at(-1), 1),
  rest: def((l: unknown) => list(l, 'rest').slice(1), 1),
  initial: def((l: unknown) => list(l, 'initial').slice(0, -1), 1),
  append: def((l: unknown, v: unknown) => [...list(l, 'append'), v], 2),
  push: def((l: unknown, v: unknown) => [...list(l, 'push'), v], 2),
  prepend: def((l: unknown, v: unknown) => [v, ...list(l, 'prepend')], 2),
  concat: def((...ls: unknown[]) => ls.flatMap((l) => list(l, 'concat')), 0, V),
  reverse: def((l: unknown) => [...list(l, 'reverse')].reverse(), 1),
  uniq: def((l: unknown) => list(l, 'uniq').filter((x, i, a) => a.indexOf(x) === i), 1),
  without: def((l: unknown, ...omit: unknown[]) => list(l, 'without').filter((x) => !omit.includes(x)), 1, V),
  has: def((needle: unknown, l: unknown) => (kindOf(l) === 'nil' ? false : list(l, 'has').includes(needle)), 2),
  // Sprig's slice replaces text/template's: lists only.
  slice: def(
    (l: unknown, ...ix: unknown[]) => {
      const k = kindOf(l);
      if (k !== 'slice' && k !== 'bytes') throw new Error(`list should be type of slice or array but ${goKind(l)}`);
      const a = list(l, 'slice');
      if (a.length === 0) return undefined;
      const start = ix.length > 0 ? toInt(ix[0]) : 0;
      const end = ix.length < 2 ? a.length : toInt(ix[1]);
      if (start < 0 || end > a.length || start > end)
        throw new Error(`runtime error: slice bounds out of range [${start}:${end}] with capacity ${a.length}`);
      return a.slice(start, end);
    },
    1,
    V,
  ),
  compact: def((l: unknown) => list(l, 'compact').filter((x) => !empty(x)), 1),
  until: def((n: unknown) => range(0, toInt(n), toInt(n) < 0 ? -1 : 1), 1),
  untilStep: def((a: unknown, b: unknown, s: unknown) => range(toInt(a), toInt(b), toInt(s)), 3),
  seq: def(
    (...a: unknown[]) => {
      const n = a.map(toInt);
      if (n.length === 0) return '';
      if (n.length === 1) {
        const step = n[0]! < 1 ? -1 : 1;
        return range(1, n[0]! + step, step).join(' ');
      }
      if (n.length === 2) {
        const step = n[1]! < n[0]! ? -1 : 1;
        return range(n[0]!, n[1]! + step, step).join(' ');
      }
      const [start, step, end] = n as [number, number, number];
      const inc = end < start ? -1 : 1;
      if ((end < start && step > 0) || (end >= start && step < 0) || step === 0) return '';
      return range(start, end + inc, step).join(' ');
    },
    0,
    V,
  ),

  chunk: def((size: unknown, l: unknown) => {
    const a = list(l, 'chunk');
    const n = toInt(size);
    if (n <= 0) throw new Error('runtime error: integer divide by zero');
    const out: unknown[][] = [];
    for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
    return out;
  }, 2),
  dict: def(dict, 0, V),
  get: def((d: unknown, k: unknown) => (mapHas(asMap(d), str(k)) ? mapGet(asMap(d), str(k)) : ''), 2),
  set: def((d: unknown, k: unknown, v: unknown) => {
    const m = asMap(d);
    m[str(k)] = v;
    return m;
  }, 3),
  unset: def((d: unknown, k: unknown) => {
    const m = asMap(d);
    delete m[str(k)];
    return m;
  }, 2),
  hasKey: def((d: unknown, k: unknown) => mapHas(asMap(d), str(k)), 2),
  keys: def((...ds: unknown[]) => ds.flatMap((d) => Object.keys(asMap(d))).sort(), 0, V),
  values: def((d: unknown) => Object.values(asMap(d)), 1),
  pluck: def(
    (k: unknown, ...ds: unknown[]) =>
      ds
        .map(asMap)
        .filter((m) => mapHas(m, str(k)))
        .map((m) => m[str(k)]),
    1,
    V,
  ),
  pick: def(
    (d: unknown, ...ks: unknown[]) => Object.fromEntries(Object.entries(asMap(d)).filter(([k]) => ks.includes(k))),
    1,
    V,
  ),
  omit: def(
    (d: unknown, ...ks: unknown[]) => Object.fromEntries(Object.entries(asMap(d)).filter(([k]) => !ks.includes(k))),
    1,
    V,
  ),
  merge: def(
    (dst: unknown, ...srcs: unknown[]) => {
      const m = asMap(dst);
      for (const s of srcs) for (const [k, v] of Object.entries(asMap(s))) if (!(k in m)) m[k] = v;
      return m;
    },
    1,
    V,
  ),
  mergeOverwrite: def((dst: unknown, ...srcs: unknown[]) => Object.assign(asMap(dst), ...srcs.map(asMap)), 1, V),
  dig: def(
    (...a: unknown[]) => {
      const d = asMap(a.at(-1));
      const fallback = a.at(-2);
      let cur: unknown = d;
      for (const k of a.slice(0, -2)) {
        if (kindOf(cur) !== 'map' || !mapHas(cur, str(k))) return fallback;
        cur = mapGet(cur, str(k));
      }
      return cur;
    },
    3,
    V,
  ),
};

function dict(...kv: unknown[]): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  for (let i = 0; i < kv.length; i += 2) m[strval(kv[i])] = i + 1 < kv.length ? kv[i + 1] : '';
  return m;
}

function asMap(v: unknown): Record<string, unknown> {
  if (v instanceof Map) return Object.fromEntries(v) as Record<string, unknown>;
  if (kindOf(v) === 'map') return v as Record<string, unknown>;
  throw new Error(`wrong type for value; expected map[string]interface {}; got ${goTypeName(v)}`);
}
