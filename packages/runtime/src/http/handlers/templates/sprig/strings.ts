/** @module http/handlers/templates/sprig/strings: Sprig's the string and regular expression functions. */
import { def } from '../../../../util/go-template/template.js';
import { formatValue } from '../../../../util/go-template/fmt.js';
import { goQuote } from '../../../../util/go-template/quote.js';
import { kindOf } from '../../../../util/go-template/values.js';
import { compileGoRegexp } from '../../../../util/go-regexp.js';
import { goReplaceAll } from '../../../../util/go-expand.js';
import { V, MAX_STRING, strval, str, toInt } from './convert.js';
import type { FuncDef } from '../../../../util/go-template/template.js';

export const stringsFuncs: Record<string, FuncDef> = {
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
};

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
