/**
 * @module http/handlers/templates/sprig: the Sprig (v3, TxtFuncMap) functions real sites use: strings, lists,
 * dicts, math, dates, encodings, paths, types and flow. Sprig's argument order is kept (the operated-on value
 * last, so it pipes).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { goParseDuration } from '@proxy/contract';
import { posix } from 'node:path';
import { ArgTypeError, type ParamType } from '../../../util/go-template/exec.js';
import { def, type FuncDef } from '../../../util/go-template/template.js';
import { formatValue } from '../../../util/go-template/fmt.js';
import { goQuote } from '../../../util/go-template/quote.js';
import {
  GO_JSON,
  goFloat,
  goTypeName,
  kindOf,
  mapEntries,
  mapGet,
  mapHas,
  num,
  truth,
} from '../../../util/go-template/values.js';
import { compileGoRegexp } from '../../../util/go-regexp.js';
import { goReplaceAll } from '../../../util/go-expand.js';
import { GoTime, parseTime, ZERO_MS, zoneAbbreviation } from './go-time.js';

const V = Number.POSITIVE_INFINITY;
/** The longest string repeat builds (where Go would try, and a JS string of that size would end the process). */
const MAX_STRING = 64 << 20;

/** Sprig's strval: strings as they are, errors and Stringers through their method, anything else in %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString();
  return formatValue(v, 'v');
}

/** Go's parameter conversion for a string parameter. */
function str(v: unknown): string {
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

function toFloat(x: unknown): number {
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

function list(v: unknown, fn: string): unknown[] {
  const k = kindOf(v);
  if (k === 'slice') return v as unknown[];
  if (k === 'bytes') return [...(v as Uint8Array)];
  throw new Error(`Cannot find ${fn} on type ${goTypeName(v)}`);
}

/** strings.Title: the first letter of each word in upper case. */
/** strings.Title: upper-cases the first letter after a separator (any ASCII character but letters, digits and _, or space). */
function title(s: string): string {
  let out = '';
  let prev = ' ';
  for (const c of s) {
    const sep = c.length === 1 && c < '\x80' ? !/[A-Za-z0-9_]/.test(prev) : /\s/.test(prev);
    out += sep ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

function words(s: string): string[] {
  return s
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

function trunc(c: number, s: string): string {
  if (c < 0 && s.length + c > 0) return s.slice(s.length + c);
  if (c >= 0 && s.length > c) return s.slice(0, c);
  return s;
}

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

function toTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof Date) return GoTime.fromDate(v);
  if (typeof v === 'number') return GoTime.fromDate(new Date(Math.trunc(v) * 1000));
  return GoTime.now();
}

function inZone(t: GoTime, zone: string): GoTime {
  if (zone === 'UTC' || zone === '') return t.UTC();
  if (zone === 'Local') return t.Local();
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'shortOffset',
    }).formatToParts(new Date(t.ms));
    const off = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d+)(?::(\d+))?/.exec(off);
    const seconds = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
        .formatToParts(new Date(t.ms))
        .find((p) => p.type === 'timeZoneName')?.value ?? zone;
    return new GoTime(t.ms, t.nsExtra, seconds, zoneAbbreviation(zone, seconds, name));
  } catch {
    return t.UTC();
  }
}

function sum(args: unknown[], f: (a: number, b: number) => number): number {
  return args.map(toInt).reduce(f);
}

function regex(pattern: unknown): RegExp {
  return compileGoRegexp(str(pattern));
}

function findAll(re: RegExp, s: string, n: number): string[] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const out: string[] = [];
  for (const m of s.matchAll(g)) {
    if (n >= 0 && out.length >= n) break;
    out.push(m[0]);
  }
  return out;
}

function jsonValue(v: unknown): unknown {
  switch (kindOf(v)) {
    case 'map':
      return Object.fromEntries(mapEntries(v).map(([k, x]) => [String(k), jsonValue(x)]));
    case 'slice':
      return (v as unknown[]).map(jsonValue);
    case 'bytes':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'nil':
      return null;
    case 'struct':
      if (v instanceof GoTime) return v.Format('2006-01-02T15:04:05.999999999Z07:00');
      if ((v as { [GO_JSON]?: boolean })[GO_JSON] === false) throw new Error('json: unsupported type');
      return Object.fromEntries(Object.entries(v as object).filter(([k]) => /^[A-Z]/.test(k)));
    default:
      return num(v);
  }
}

/** encoding/json into interface{}: every number is a float64. */
export function jsonParse(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => (typeof v === 'number' ? goFloat(v) : v));
}

/** Go's json.Marshal escapes <, > and & as \u003c, \u003e and \u0026. */
function goJson(v: unknown, indent?: string): string {
  let text: string;
  try {
    text = JSON.stringify(jsonValue(v), null, indent) ?? 'null';
  } catch {
    // Sprig's toJson gives an empty string for what encoding/json cannot marshal.
    return '';
  }
  return text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function durationString(sec: number): string {
  if (sec === 0) return '0s';
  const neg = sec < 0;
  let a = Math.abs(sec);
  const h = Math.floor(a / 3600);
  a -= h * 3600;
  const m = Math.floor(a / 60);
  a -= m * 60;
  let s = '';
  if (h) s += `${h}h`;
  if (h || m) s += `${m}m`;
  s += `${a}s`;
  return (neg ? '-' : '') + s;
}

const funcs: Record<string, FuncDef> = {
  // strings
  trim: def((s: unknown) => str(s).trim(), 1),
  trimAll: def((cut: unknown, s: unknown) => trimSet(str(s), str(cut)), 2),
  trimall: def((cut: unknown, s: unknown) => trimSet(str(s), str(cut)), 2),
  trimPrefix: def((p: unknown, s: unknown) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)), 2),
  trimSuffix: def(
    (p: unknown, s: unknown) => (str(s).endsWith(str(p)) ? str(s).slice(0, str(s).length - str(p).length) : str(s)),
    2,
  ),
  upper: def((s: unknown) => str(s).toUpperCase(), 1),
  lower: def((s: unknown) => str(s).toLowerCase(), 1),
  title: def((s: unknown) => title(str(s)), 1),
  untitle: def((s: unknown) => str(s).replace(/(^|\s)(\p{L})/gu, (_m, a: string, b: string) => a + b.toLowerCase()), 1),
  repeat: def((n: unknown, s: unknown) => {
    const count = toInt(n);
    if (count < 0) throw new Error('strings: negative Repeat count');
    if (count * str(s).length > MAX_STRING) throw new Error('strings: Repeat output length overflow');
    return str(s).repeat(count);
  }, 2),
  substr: def((start: unknown, end: unknown, s: unknown) => {
    const x = str(s);
    const a = toInt(start);
    const b = toInt(end);
    if (a < 0) return x.slice(0, b);
    if (b < 0 || b > x.length) return x.slice(a);
    if (a > b) throw new Error(`runtime error: slice bounds out of range [${a}:${b}]`);
    return x.slice(a, b);
  }, 3),
  nospace: def((s: unknown) => str(s).replace(/\s+/g, ''), 1),
  trunc: def((c: unknown, s: unknown) => trunc(toInt(c), str(s)), 2),
  abbrev: def((w: unknown, s: unknown) => {
    const x = str(s);
    const n = toInt(w);
    return n < 4 || x.length <= n ? x : `${x.slice(0, n - 3)}...`;
  }, 2),
  initials: def(
    (s: unknown) =>
      str(s)
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => [...w][0])
        .join(''),
    1,
  ),
  wrap: def((w: unknown, s: unknown) => wrapText(str(s), toInt(w)), 2),
  contains: def((sub: unknown, s: unknown) => str(s).includes(str(sub)), 2),
  hasPrefix: def((p: unknown, s: unknown) => str(s).startsWith(str(p)), 2),
  hasSuffix: def((p: unknown, s: unknown) => str(s).endsWith(str(p)), 2),
  quote: def(
    (...a: unknown[]) =>
      a
        .filter((x) => x != null)
        .map((x) => goQuote(strval(x)))
        .join(' '),
    0,
    V,
  ),
  squote: def(
    (...a: unknown[]) =>
      a
        .filter((x) => x != null)
        .map((x) => `'${strval(x)}'`)
        .join(' '),
    0,
    V,
  ),
  cat: def(
    (...a: unknown[]) =>
      a
        .filter((x) => x != null)
        .map((x) => formatValue(x, 'v'))
        .join(' '),
    0,
    V,
  ),
  indent: def((n: unknown, s: unknown) => indent(toInt(n), str(s)), 2),
  nindent: def((n: unknown, s: unknown) => `\n${indent(toInt(n), str(s))}`, 2),
  replace: def((o: unknown, n: unknown, s: unknown) => {
    // strings.Replace with an empty old string inserts at every character boundary, both ends included.
    if (str(o) === '') return str(n) + [...str(s)].map((c) => c + str(n)).join('');
    return str(s).split(str(o)).join(str(n));
  }, 3),
  plural: def((one: unknown, many: unknown, n: unknown) => (toInt(n) === 1 ? str(one) : str(many)), 3),
  snakecase: def(
    (s: unknown) =>
      words(str(s))
        .map((w) => w.toLowerCase())
        .join('_'),
    1,
  ),
  camelcase: def(
    (s: unknown) =>
      words(str(s))
        .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
        .join(''),
    1,
  ),
  kebabcase: def(
    (s: unknown) =>
      words(str(s))
        .map((w) => w.toLowerCase())
        .join('-'),
    1,
  ),
  swapcase: def(
    (s: unknown) => [...str(s)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
    1,
  ),
  toString: def((v: unknown) => strval(v), 1),
  toStrings: def(
    (v: unknown) => (kindOf(v) === 'slice' ? (v as unknown[]).filter((x) => x != null).map(strval) : [strval(v)]),
    1,
  ),
  split: def(
    (sep: unknown, s: unknown) =>
      Object.fromEntries(
        str(s)
          .split(str(sep))
          .map((p, i) => [`_${i}`, p]),
      ),
    2,
  ),
  splitn: def((sep: unknown, n: unknown, s: unknown) => {
    const parts = splitN(str(s), str(sep), toInt(n));
    return Object.fromEntries(parts.map((p, i) => [`_${i}`, p]));
  }, 3),
  splitList: def((sep: unknown, s: unknown) => str(s).split(str(sep)), 2),
  join: def((sep: unknown, v: unknown) => {
    const k = kindOf(v);
    const items = k === 'slice' ? (v as unknown[]) : k === 'nil' ? [] : [v];
    return items
      .filter((x) => x != null)
      .map(strval)
      .join(str(sep));
  }, 2),
  sortAlpha: def((v: unknown) => (kindOf(v) === 'slice' ? (v as unknown[]).map(strval).sort() : [strval(v)]), 1),
  // Sprig's regexMatch ignores a bad pattern (false); the other regex functions fail on one.
  regexMatch: def((re: unknown, s: unknown) => {
    try {
      return regex(re).test(str(s));
    } catch {
      return false;
    }
  }, 2),
  regexFind: def((re: unknown, s: unknown) => regex(re).exec(str(s))?.[0] ?? '', 2),
  regexFindAll: def((re: unknown, s: unknown, n: unknown) => findAll(regex(re), str(s), toInt(n)), 3),
  regexReplaceAll: def(
    (re: unknown, s: unknown, r: unknown) =>
      goReplaceAll(str(s), new RegExp(regex(re).source, `${regex(re).flags.replace('g', '')}g`), str(r)),
    3,
  ),
  regexReplaceAllLiteral: def(
    (re: unknown, s: unknown, r: unknown) =>
      str(s).replace(new RegExp(regex(re).source, `${regex(re).flags.replace('g', '')}g`), () => str(r)),
    3,
  ),
  regexSplit: def((re: unknown, s: unknown, n: unknown) => regexSplit(regex(re), str(s), toInt(n)), 3),
  regexQuoteMeta: def((s: unknown) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'), 1),

  // defaults and flow
  default: def((d: unknown, ...given: unknown[]) => (given.length === 0 || empty(given[0]) ? d : given[0]), 1, V),
  empty: def((v: unknown) => empty(v), 1),
  coalesce: def((...a: unknown[]) => a.find((x) => !empty(x)), 0, V),
  all: def((...a: unknown[]) => a.every((x) => !empty(x)), 0, V),
  any: def((...a: unknown[]) => a.some((x) => !empty(x)), 0, V),
  ternary: def((t: unknown, f: unknown, c: unknown) => {
    if (typeof c !== 'boolean') throw new ArgTypeError('bool', goTypeName(c));
    return c ? t : f;
  }, 3),
  fail: def((msg: unknown) => {
    throw new Error(str(msg));
  }, 1),
  toJson: def((v: unknown) => goJson(v), 1),
  toPrettyJson: def((v: unknown) => goJson(v, '  '), 1),
  toRawJson: def((v: unknown) => {
    try {
      return JSON.stringify(jsonValue(v)) ?? 'null';
    } catch {
      return '';
    }
  }, 1),
  fromJson: def((s: unknown) => {
    try {
      return jsonParse(str(s));
    } catch {
      return {};
    }
  }, 1),

  // lists
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

  // dicts
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

  // math
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

  // dates
  now: def(() => GoTime.now(), 0),
  date: def((fmt: unknown, d: unknown) => toTime(d).Local().Format(str(fmt)), 2),
  dateInZone: def((fmt: unknown, d: unknown, z: unknown) => inZone(toTime(d), str(z)).Format(str(fmt)), 3),
  htmlDate: def((d: unknown) => toTime(d).Local().Format('2006-01-02'), 1),
  htmlDateInZone: def((d: unknown, z: unknown) => inZone(toTime(d), str(z)).Format('2006-01-02'), 2),
  toDate: def((fmt: unknown, s: unknown) => {
    try {
      return parseTime(str(fmt), str(s)).Local();
    } catch {
      return new GoTime(ZERO_MS, 0, 0, 'UTC');
    }
  }, 2),
  unixEpoch: def((d: unknown) => String(toTime(d).Unix()), 1),
  ago: def((d: unknown) => durationString(Math.round((Date.now() - toTime(d).ms) / 1000)), 1),
  // Sprig reads a string or an int64 only; a template's integer constant is an int, so it gives 0s.
  duration: def((s: unknown) => durationString(typeof s === 'string' ? toInt(s) : 0), 1),

  dateModify: def((d: unknown, t: unknown) => {
    const base = toTime(t);
    const ns = goParseDuration(str(d));
    // Sprig gives the date back unchanged when the duration does not parse.
    if (typeof ns === 'string') return base;
    const total = BigInt(base.nsExtra) + ns;
    const ms = Number(total / 1_000_000n);
    const rest = Number(total % 1_000_000n);
    return new GoTime(base.ms + ms + (rest < 0 ? -1 : 0), rest < 0 ? rest + 1_000_000 : rest, base.offset, base.zone);
  }, 2),

  // random values
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

  // encodings and hashes
  b64enc: def((s: unknown) => Buffer.from(str(s)).toString('base64'), 1),
  // Sprig returns the decoding error as the result.
  b64dec: def((s: unknown) => {
    const bad = base64Error(str(s));
    return bad ?? Buffer.from(str(s), 'base64').toString();
  }, 1),
  sha1sum: def((s: unknown) => createHash('sha1').update(str(s)).digest('hex'), 1),
  sha256sum: def((s: unknown) => createHash('sha256').update(str(s)).digest('hex'), 1),
  adler32sum: def((s: unknown) => String(adler32(Buffer.from(str(s)))), 1),
  urlParse: def((v: unknown) => urlParse(str(v)), 1),

  // paths
  base: def((p: unknown) => goBase(str(p)), 1),
  dir: def((p: unknown) => posix.dirname(str(p)), 1),
  ext: def((p: unknown) => posix.extname(str(p)), 1),
  clean: def((p: unknown) => (str(p) === '' ? '.' : posix.normalize(str(p)).replace(/(.)\/$/, '$1')), 1),
  isAbs: def((p: unknown) => str(p).startsWith('/'), 1),

  // types
  typeOf: def((v: unknown) => goTypeName(v), 1),
  kindOf: def((v: unknown) => goKind(v), 1),
  typeIs: def((t: unknown, v: unknown) => goTypeName(v) === str(t), 2),
  kindIs: def((t: unknown, v: unknown) => goKind(v) === str(t), 2),
  deepEqual: def((a: unknown, b: unknown) => JSON.stringify(jsonValue(a)) === JSON.stringify(jsonValue(b)), 2),
  expandenv: def(
    (s: unknown) =>
      str(s).replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a?: string, b?: string) => process.env[a ?? b ?? ''] ?? ''),
    1,
  ),
};

function goKind(v: unknown): string {
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

function goBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

function trimSet(s: string, cut: string): string {
  const chars = new Set([...cut]);
  const a = [...s];
  let i = 0;
  let j = a.length;
  while (i < j && chars.has(a[i]!)) i++;
  while (j > i && chars.has(a[j - 1]!)) j--;
  return a.slice(i, j).join('');
}

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, n));
  return pad + s.replace(/\n/g, `\n${pad}`);
}

function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function range(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  if (step === 0) return out;
  for (let i = start; step > 0 ? i < end : i > end; i += step) {
    out.push(i);
    if (out.length > 1_000_000) break;
  }
  return out;
}

function wrapText(s: string, width: number): string {
  const out: string[] = [];
  for (const line of s.split('\n')) {
    let cur = '';
    for (const w of line.split(' ')) {
      if (cur && cur.length + 1 + w.length > width) {
        out.push(cur);
        cur = w;
      } else cur = cur ? `${cur} ${w}` : w;
    }
    out.push(cur);
  }
  return out.join('\n');
}

/** regexp.Regexp.Split: at most n pieces (all for n < 0, none for n = 0), the last one the rest. */
function regexSplit(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source === '(?:)' && s.length > 0) {
    const chars = [...s];
    return n < 0 || chars.length <= n ? chars : [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const out: string[] = [];
  let beg = 0;
  for (const m of s.matchAll(g)) {
    if (n > 0 && out.length === n - 1) break;
    const end = m.index;
    if (m[0].length === 0 && end === 0) continue;
    out.push(s.slice(beg, end));
    beg = end + m[0].length;
  }
  out.push(s.slice(beg));
  return out;
}

/** The error Go's base64.StdEncoding gives for input it cannot decode, or undefined. */
function base64Error(s: string): string | undefined {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(clean);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  const pad = clean.indexOf('=');
  if (pad >= 0 && !/^=*$/.test(clean.slice(pad))) return `illegal base64 data at input byte ${pad}`;
  if (clean.length % 4 !== 0) return `illegal base64 data at input byte ${clean.length - (clean.length % 4)}`;
  return undefined;
}

/** Sprig's parameter types that text/template checks before calling (interface{} parameters are not listed). */
const SIGNATURES: Record<string, ParamType[]> = {
  trim: ['string'],
  trimAll: ['string', 'string'],
  trimPrefix: ['string', 'string'],
  trimSuffix: ['string', 'string'],
  upper: ['string'],
  lower: ['string'],
  title: ['string'],
  untitle: ['string'],
  repeat: ['int', 'string'],
  substr: ['int', 'int', 'string'],
  nospace: ['string'],
  trunc: ['int', 'string'],
  abbrev: ['int', 'string'],
  initials: ['string'],
  wrap: ['int', 'string'],
  contains: ['string', 'string'],
  hasPrefix: ['string', 'string'],
  hasSuffix: ['string', 'string'],
  indent: ['int', 'string'],
  nindent: ['int', 'string'],
  replace: ['string', 'string', 'string'],
  plural: ['string', 'string', 'int'],
  snakecase: ['string'],
  camelcase: ['string'],
  kebabcase: ['string'],
  swapcase: ['string'],
  split: ['string', 'string'],
  splitList: ['string', 'string'],
  splitn: ['string', 'int', 'string'],
  join: ['string', 'any'],
  regexMatch: ['string', 'string'],
  regexFind: ['string', 'string'],
  regexFindAll: ['string', 'string', 'int'],
  regexReplaceAll: ['string', 'string', 'string'],
  regexReplaceAllLiteral: ['string', 'string', 'string'],
  regexSplit: ['string', 'string', 'int'],
  regexQuoteMeta: ['string'],
  trimall: ['string', 'string'],
  adler32sum: ['string'],
  urlParse: ['string'],
  dateModify: ['string', 'any'],
  randAlphaNum: ['int'],
  randAlpha: ['int'],
  randNumeric: ['int'],
  randAscii: ['int'],
  randInt: ['int', 'int'],
  shuffle: ['string'],
  chunk: ['int', 'any'],
  b64enc: ['string'],
  b64dec: ['string'],
  sha1sum: ['string'],
  sha256sum: ['string'],
  base: ['string'],
  dir: ['string'],
  ext: ['string'],
  clean: ['string'],
  isAbs: ['string'],
  date: ['string', 'any'],
  dateInZone: ['string', 'any', 'string'],
  htmlDateInZone: ['any', 'string'],
  toDate: ['string', 'string'],
  ternary: ['any', 'any', 'bool'],
  fail: ['string'],
  until: ['int'],
  untilStep: ['int', 'int', 'int'],
  atoi: ['string'],
  expandenv: ['string'],
  pluck: ['string', 'any'],
};

export const sprigFuncs: Record<string, FuncDef> = Object.fromEntries(
  Object.entries(funcs).map(([name, f]) => [name, SIGNATURES[name] ? { ...f, types: SIGNATURES[name] } : f]),
);

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${ALPHA}0123456789`;
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function randomString(n: number, from: string): string {
  let out = '';
  for (let i = 0; i < Math.min(Math.max(n, 0), MAX_STRING); i++) out += from[randomInt(from.length)];
  return out;
}

function adler32(b: Buffer): number {
  let a = 1;
  let c = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    c = (c + a) % 65521;
  }
  return ((c << 16) | a) >>> 0;
}

/** Sprig's urlParse: the parts of a URL as a dict. */
function urlParse(v: string): Record<string, unknown> {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`unable to parse url: parse ${JSON.stringify(v)}: invalid URL`);
  }
  return {
    scheme: u.protocol.replace(/:$/, ''),
    host: u.host,
    hostname: u.hostname,
    path: decodeURIComponent(u.pathname),
    query: u.search.replace(/^\?/, ''),
    opaque: '',
    fragment: decodeURIComponent(u.hash.replace(/^#/, '')),
    userinfo: u.username ? (u.password ? `${u.username}:${u.password}` : u.username) : '',
  };
}
