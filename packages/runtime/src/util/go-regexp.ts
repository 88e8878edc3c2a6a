/**
 * @module util/go-regexp: Go's regexp syntax (RE2, as Caddy's config uses it) compiled to a JavaScript RegExp at
 * config load. The pattern is read the way Go's regexp/syntax parser reads it and written out as an explicit `u`-mode
 * JavaScript pattern, so Go's meaning survives where the two languages differ: `.` excludes only `\n` (and with
 * `(?s)` nothing), `\s`/`\d`/`\w` are ASCII, `^`/`$` follow `(?m)` and see only `\n`, flags may change mid-pattern
 * (`a(?i)b`, `(?i:b)`, `(?U)`), `\A`, `\z`, `\Q...\E`, `[[:alpha:]]`, `\pL`, `\x{263a}`, `\123`, and a `{` that is not
 * a repeat is a literal. What Go refuses (backreferences, lookaround, `\Z`, `x{1001}`, `a**`) is refused too.
 */

import {
  CATEGORY,
  classSource,
  fold,
  hex,
  MAX_RUNE,
  negate,
  otherCases,
  PERL,
  POSIX,
  type Range,
} from './go-regexp-classes.js';

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

/** A Go regexp syntax error, with Go's message (`error parsing regexp: CODE: \`ARG\``). */
export class GoRegexpError extends Error {
  constructor(code: string, arg: string) {
    super(`error parsing regexp: ${code}${arg === '' ? '' : `: \`${arg}\``}`);
  }
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
const unhex = (c: string | undefined): number => (c !== undefined && /^[0-9A-Fa-f]$/.test(c) ? parseInt(c, 16) : -1);

/** One translation pass; `iFlag` says the JavaScript `i` flag does the case folding. */
class Translator {
  private pos = 0;
  private out = '';
  private readonly stack: { flags: Flags; start: number }[] = [];
  private flags: Flags = { i: false, m: false, s: false, U: false };
  /** Whether every case-sensitive atom was under (?i) (then the `i` flag can do the folding). */
  allFolded = true;
  anyFolded = false;
  /** Where the last repeatable atom starts in `out` (undefined: nothing to repeat), and whether it is repeated. */
  private atom: number | undefined;
  private repeated = '';
  private readonly names = new Set<string>();

  constructor(
    private readonly src: string,
    private readonly iFlag: boolean,
  ) {}

  run(): string {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      switch (c) {
        case '(':
          this.group();
          break;
        case ')':
          this.close();
          break;
        case '|':
          this.emit('|', false);
          this.pos++;
          break;
        case '^':
          this.emit(this.flags.m ? '(?:^|(?<=\\n))' : '(?:^)', true);
          this.pos++;
          break;
        case '$':
          this.emit(this.flags.m ? '(?:$|(?=\\n))' : '(?:$)', true);
          this.pos++;
          break;
        case '.':
          this.emit(this.flags.s ? '[\\u{0}-\\u{10ffff}]' : '[^\\n]', true);
          this.pos++;
          break;
        case '[':
          this.charClass();
          break;
        case '*':
        case '+':
        case '?':
          this.repeat(c, 1);
          break;
        case '{': {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.pos));
          if (!m) {
            this.literal(0x7b);
            this.pos++;
            break;
          }
          const min = Number(m[1]);
          const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
          if (min > 1000 || max > 1000 || (max >= 0 && min > max))
            throw new GoRegexpError('invalid repeat count', m[0]);
          this.repeat(m[0], m[0].length);
          break;
        }
        case '\\':
          this.escape();
          break;
        default: {
          const cp = s.codePointAt(this.pos)!;
          this.literal(cp);
          this.pos += cp > 0xffff ? 2 : 1;
        }
      }
    }
    if (this.stack.length > 0) throw new GoRegexpError('missing closing )', s);
    return this.out;
  }

  private emit(text: string, repeatable: boolean): void {
    this.atom = repeatable ? this.out.length : undefined;
    this.repeated = '';
    this.out += text;
  }

  private literal(cp: number): void {
    const variants = otherCases(cp);
    this.noteCase(variants.length > 0);
    if (variants.length === 0 || !this.flags.i || this.iFlag) this.emit(hex(cp), true);
    else
      this.emit(
        classSource(
          [cp, ...variants].map((v): Range => [v, v]),
          [],
          false,
        ),
        true,
      );
  }

  private noteCase(caseSensitive: boolean): void {
    if (!caseSensitive) return;
    if (this.flags.i) this.anyFolded = true;
    else this.allFolded = false;
  }

  /**
   * A set of runes under the current flags: with (?i) its case variants are added before it is negated (Go's order:
   * `(?i)[^k]` matches neither `k` nor `K`), also when the `i` flag folds the rest.
   */
  private resolve(ranges: Range[], negated: boolean): Range[] {
    const r = this.flags.i ? fold(ranges) : ranges;
    return negated ? negate(r) : r;
  }

  private ranges(ranges: Range[], negated: boolean): void {
    this.noteCase(true);
    const r = this.resolve(ranges, negated);
    this.emit(r.length === 0 ? '[^\\u{0}-\\u{10ffff}]' : classSource(r, [], false), true);
  }

  private repeat(op: string, len: number): void {
    const before = this.src.slice(this.pos);
    let after = before.slice(len);
    let lazy = this.flags.U;
    if (after[0] === '?') {
      lazy = !lazy;
      after = after.slice(1);
    }
    const text = before.slice(0, before.length - after.length);
    if (this.repeated !== '') throw new GoRegexpError('invalid nested repetition operator', this.repeated + text);
    if (this.atom === undefined) throw new GoRegexpError('missing argument to repetition operator', text);
    this.out += op + (lazy ? '?' : '');
    this.repeated = text;
    this.pos += text.length;
  }

  private group(): void {
    const rest = this.src.slice(this.pos);
    // `(?<name>` as well as `(?P<name>`: current Caddy is built with Go >= 1.22, which accepts both (Go 1.19, under
    // Caddy 2.6.2, knew only the P form).
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (named && (rest.startsWith('(?P<') || !/^\(\?<[=!]/.test(rest))) {
      const name = named[1]!;
      if (!/^\w+$/.test(name)) throw new GoRegexpError('invalid named capture', named[0]);
      if (this.names.has(name)) throw new GoRegexpError('duplicate capture group name', name);
      this.names.add(name);
      this.open(`(?<${name}>`, named[0].length);
      return;
    }
    if (rest.startsWith('(?P'))
      throw new GoRegexpError('invalid named capture', rest.slice(0, rest.indexOf('>') + 1) || rest);
    if (!rest.startsWith('(?')) {
      this.open('(', 1);
      return;
    }
    const fl = /^\(\?([imsU]*)(?:(-)([imsU]*))?([:)])/.exec(rest);
    if (!fl || (fl[2] === '-' && fl[3] === '') || (fl[1] === '' && fl[2] === undefined && fl[4] === ')')) {
      throw new GoRegexpError('invalid or unsupported Perl syntax', rest.slice(0, Math.min(rest.length, 3)));
    }
    const next = { ...this.flags };
    for (const f of fl[1]!) next[f as keyof Flags] = true;
    for (const f of fl[3] ?? '') next[f as keyof Flags] = false;
    if (fl[4] === ')') {
      // `(?i)` changes the flags until the end of the enclosing group.
      this.flags = next;
      this.pos += fl[0].length;
      return;
    }
    this.open('(?:', fl[0].length);
    this.flags = next;
  }

  private open(text: string, len: number): void {
    this.stack.push({ flags: this.flags, start: this.out.length });
    this.out += text;
    this.atom = undefined;
    this.repeated = '';
    this.pos += len;
  }

  private close(): void {
    const g = this.stack.pop();
    if (!g) throw new GoRegexpError('unexpected )', this.src);
    this.flags = g.flags;
    // The whole group is the atom a following repeat applies to.
    this.out += ')';
    this.atom = g.start;
    this.repeated = '';
    this.pos++;
  }

  private escape(): void {
    const s = this.src;
    const c = s[this.pos + 1];
    if (c === undefined) throw new GoRegexpError('trailing backslash at end of expression', '');
    switch (c) {
      case 'A':
        this.emit('(?:^)', true);
        this.pos += 2;
        return;
      case 'z':
        this.emit('(?:$)', true);
        this.pos += 2;
        return;
      case 'b':
        this.emit('(?:\\b)', true);
        this.pos += 2;
        return;
      case 'B':
        this.emit('(?:\\B)', true);
        this.pos += 2;
        return;
      case 'Q': {
        const end = s.indexOf('\\E', this.pos + 2);
        const lit = s.slice(this.pos + 2, end < 0 ? s.length : end);
        this.pos = end < 0 ? s.length : end + 2;
        for (const ch of lit) this.literal(ch.codePointAt(0)!);
        return;
      }
    }
    const cls = this.classEscape(s.slice(this.pos));
    if (cls) {
      this.pos += cls.len;
      if (cls.prop !== undefined) {
        this.noteCase(true);
        this.emit(`[${cls.prop}]`, true);
      } else this.ranges(cls.ranges, cls.negated);
      return;
    }
    const [cp, len] = escapeRune(s, this.pos);
    this.pos += len;
    this.literal(cp);
  }

  /** `\d \s \w` (and negations) or `\pL \p{Greek} \PL \p{^Greek}` at the start of `t`. */
  private classEscape(t: string): { ranges: Range[]; negated: boolean; prop?: string; len: number } | undefined {
    const c = t[1]!;
    const perl = PERL[c.toLowerCase()];
    if (perl && /[dswDSW]/.test(c)) return { ranges: perl, negated: c !== c.toLowerCase(), len: 2 };
    if (c !== 'p' && c !== 'P') return undefined;
    let name: string;
    let len: number;
    if (t[2] === '{') {
      const end = t.indexOf('}');
      if (end < 0) throw new GoRegexpError('invalid character class range', t);
      name = t.slice(3, end);
      len = end + 1;
    } else {
      if (t[2] === undefined) throw new GoRegexpError('invalid character class range', t);
      name = t[2];
      len = 3;
    }
    let neg = c === 'P';
    if (name.startsWith('^')) {
      neg = !neg;
      name = name.slice(1);
    }
    if (name === 'Any') return { ranges: [[0, MAX_RUNE]], negated: neg, len };
    if (!/^[A-Za-z_]+$/.test(name)) throw new GoRegexpError('invalid character class range', t.slice(0, len));
    const prop = CATEGORY.test(name) ? name : `Script=${name}`;
    try {
      new RegExp(`\\p{${prop}}`, 'u');
    } catch {
      throw new GoRegexpError('invalid character class range', t.slice(0, len));
    }
    return { ranges: [], negated: false, prop: `\\${neg ? 'P' : 'p'}{${prop}}`, len };
  }

  private charClass(): void {
    const s = this.src;
    const whole = s.slice(this.pos);
    let i = this.pos + 1;
    let negated = false;
    if (s[i] === '^') {
      negated = true;
      i++;
    }
    const ranges: Range[] = [];
    const props: string[] = [];
    let first = true;
    const missing = (): GoRegexpError => new GoRegexpError('missing closing ]', whole);
    while (i >= s.length || s[i] !== ']' || first) {
      if (i >= s.length) throw missing();
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(i, i + 12));
      if (posix) {
        const r = POSIX[posix[2]!];
        if (!r) throw new GoRegexpError('invalid character class range', posix[0]);
        ranges.push(...this.resolve(r, posix[1] === '^'));
        i += posix[0].length;
        continue;
      }
      if (s[i] === '\\' && s[i + 1] !== undefined) {
        const cls = this.classEscape(s.slice(i));
        if (cls) {
          if (cls.prop !== undefined) props.push(cls.prop);
          ranges.push(...this.resolve(cls.ranges, cls.negated));
          i += cls.len;
          continue;
        }
      }
      const start = i;
      const [lo, l1] = classChar(s, i, missing);
      i += l1;
      let hi = lo;
      if (s[i] === '-' && s[i + 1] !== undefined && s[i + 1] !== ']') {
        const [h, l2] = classChar(s, i + 1, missing);
        i += 1 + l2;
        hi = h;
        if (hi < lo) throw new GoRegexpError('invalid character class range', s.slice(start, i));
      }
      ranges.push([lo, hi]);
    }
    this.pos = i + 1;
    if (props.length === 0) {
      this.ranges(ranges, negated);
      return;
    }
    // A class with `\p{...}` stays a JavaScript class (its members cannot be listed here).
    this.noteCase(true);
    this.emit(classSource(this.flags.i ? fold(ranges) : ranges, props, negated), true);
  }
}

/** One class member: a rune or an escaped rune; returns [code point, length]. */
function classChar(s: string, i: number, missing: () => GoRegexpError): [number, number] {
  if (i >= s.length) throw missing();
  if (s[i] === '\\') return escapeRune(s, i);
  const cp = s.codePointAt(i)!;
  return [cp, cp > 0xffff ? 2 : 1];
}

/** Go's parseEscape for a single rune at `s[i] === '\\'`: returns [code point, length]. */
function escapeRune(s: string, i: number): [number, number] {
  const c = s[i + 1];
  if (c === undefined) throw new GoRegexpError('trailing backslash at end of expression', '');
  const bad = (len: number): GoRegexpError => new GoRegexpError('invalid escape sequence', s.slice(i, i + len));
  const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
  if (simple[c] !== undefined) return [simple[c], 2];
  if (c.charCodeAt(0) < 0x80 && !isAlnum(c)) return [c.charCodeAt(0), 2];
  if (c >= '0' && c <= '7') {
    // A lone \1..\7 would be a backreference, which Go does not support.
    if (c !== '0' && !(s[i + 2]! >= '0' && s[i + 2]! <= '7')) throw bad(2);
    let r = c.charCodeAt(0) - 48;
    let n = 2;
    for (let k = 1; k < 3 && s[i + n]! >= '0' && s[i + n]! <= '7'; k++, n++) r = r * 8 + s.charCodeAt(i + n) - 48;
    return [r, n];
  }
  if (c === 'x') {
    if (s[i + 2] === '{') {
      let r = 0;
      let n = i + 3;
      for (; n < s.length && s[n] !== '}'; n++) {
        const v = unhex(s[n]);
        if (v < 0) throw bad(n - i + 1);
        r = r * 16 + v;
        if (r > MAX_RUNE) throw bad(n - i + 1);
      }
      if (n >= s.length || n === i + 3) throw bad(n - i + 1);
      return [r, n - i + 1];
    }
    const x = unhex(s[i + 2]),
      y = unhex(s[i + 3]);
    if (x < 0 || y < 0) throw bad(Math.min(4, s.length - i));
    return [x * 16 + y, 4];
  }
  throw bad(isDigit(c) || c.charCodeAt(0) < 0x80 ? 2 : 1 + String.fromCodePoint(s.codePointAt(i + 1)!).length);
}

/** A Go pattern as JavaScript source and flags (always `u`; `i` when the whole pattern is case-insensitive). */
export function translateGoRegexp(pattern: string): { source: string; flags: string } {
  const plain = new Translator(pattern, false);
  const source = plain.run();
  if (plain.anyFolded && plain.allFolded) return { source: new Translator(pattern, true).run(), flags: 'iu' };
  return { source, flags: 'u' };
}

/**
 * Compiles a Go pattern (Go's syntax and meaning) to a RegExp with `extraFlags` (e.g. `g`); throws a GoRegexpError
 * for what Go refuses.
 */
export function compileGoRegexp(pattern: string, extraFlags = ''): RegExp {
  const { source, flags } = translateGoRegexp(pattern);
  try {
    return new RegExp(source, flags + extraFlags);
  } catch (e) {
    throw new GoRegexpError('invalid or unsupported Perl syntax', `${pattern}: ${(e as Error).message}`);
  }
}
