/**
 * @module util/go-regexp: Go's regexp syntax (RE2, as Caddy's config uses it) compiled to a JavaScript RegExp at
 * config load. The pattern is read the way Go's regexp/syntax parser reads it and written out as an explicit `u`-mode
 * JavaScript pattern, so Go's meaning survives where the two languages differ: `.` excludes only `\n` (and with
 * `(?s)` nothing), `\s`/`\d`/`\w` are ASCII, `^`/`$` follow `(?m)` and see only `\n`, flags may change mid-pattern
 * (`a(?i)b`, `(?i:b)`, `(?U)`), `\A`, `\z`, `\Q...\E`, `[[:alpha:]]`, `\pL`, `\x{263a}`, `\123`, and a `{` that is not
 * a repeat is a literal. What Go refuses (backreferences, lookaround, `\Z`, `x{1001}`, `a**`) is refused too.
 */

const MAX_RUNE = 0x10ffff;
type Range = [number, number];

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean }

/** A Go regexp syntax error, with Go's message (`error parsing regexp: CODE: \`ARG\``). */
export class GoRegexpError extends Error {
  constructor(code: string, arg: string) {
    super(`error parsing regexp: ${code}${arg === '' ? '' : `: \`${arg}\``}`);
  }
}

const DIGIT: Range[] = [[0x30, 0x39]];
const SPACE: Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const PERL: Record<string, Range[]> = { d: DIGIT, s: SPACE, w: WORD };
const POSIX: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]], alpha: [[0x41, 0x5a], [0x61, 0x7a]], ascii: [[0, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]], cntrl: [[0, 0x1f], [0x7f, 0x7f]], digit: DIGIT, graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]], print: [[0x20, 0x7e]], punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]], upper: [[0x41, 0x5a]], word: WORD, xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};
/** Unicode general categories Go knows by name; any other `\p{Name}` is a script. */
const CATEGORY = /^(?:[CLMNPSZ]|C[cfos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps])$/;

function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function negate(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

/**
 * Go's unicode caseOrbit table (unicode/tables.go): the code points whose case orbit has more than two members
 * (`k K \u212a`, `s S \u017f`...), each mapped to the next one; lower/upper casing cannot find those.
 */
const CASE_ORBIT = new Map<number, number>(
  (
  '004b:006b 0053:0073 006b:212a 0073:017f 00b5:039c 00c5:00e5 00df:1e9e 00e5:212b 0130:0130 0131:0131 017f:0053 ' +
  '01c4:01c5 01c5:01c6 01c6:01c4 01c7:01c8 01c8:01c9 01c9:01c7 01ca:01cb 01cb:01cc 01cc:01ca 01f1:01f2 01f2:01f3 ' +
  '01f3:01f1 0345:0399 0392:03b2 0395:03b5 0398:03b8 0399:03b9 039a:03ba 039c:03bc 03a0:03c0 03a1:03c1 03a3:03c2 ' +
  '03a6:03c6 03a9:03c9 03b2:03d0 03b5:03f5 03b8:03d1 03b9:1fbe 03ba:03f0 03bc:00b5 03c0:03d6 03c1:03f1 03c2:03c3 ' +
  '03c3:03a3 03c6:03d5 03c9:2126 03d0:0392 03d1:03f4 03d5:03a6 03d6:03a0 03f0:039a 03f1:03a1 03f4:0398 03f5:0395 ' +
  '0412:0432 0414:0434 041e:043e 0421:0441 0422:0442 042a:044a 0432:1c80 0434:1c81 043e:1c82 0441:1c83 0442:1c84 ' +
  '044a:1c86 0462:0463 0463:1c87 1c80:0412 1c81:0414 1c82:041e 1c83:0421 1c84:1c85 1c85:0422 1c86:042a 1c87:0462 ' +
  '1c88:a64a 1e60:1e61 1e61:1e9b 1e9b:1e60 1e9e:00df 1fbe:0345 2126:03a9 212a:004b 212b:00c5 a64a:a64b a64b:1c88 '
  ).trim().split(' ').map((p): [number, number] => {
    const [a, b] = p.split(':') as [string, string];
    return [parseInt(a, 16), parseInt(b, 16)];
  }),
);

function single(v: string): number | undefined {
  const cp = v.codePointAt(0)!;
  return v.length === String.fromCodePoint(cp).length ? cp : undefined;
}

/** Go's unicode.SimpleFold: the next code point in `c`'s case orbit. */
function simpleFold(c: number): number {
  const o = CASE_ORBIT.get(c);
  if (o !== undefined) return o;
  const ch = String.fromCodePoint(c);
  const lower = single(ch.toLowerCase());
  if (lower !== undefined && lower !== c) return lower;
  return single(ch.toUpperCase()) ?? c;
}

/** The other members of `c`'s case orbit (what Go's (?i) also matches for `c`). */
function otherCases(c: number): number[] {
  const out: number[] = [];
  for (let f = simpleFold(c); f !== c && out.length < 4; f = simpleFold(f)) out.push(f);
  return out;
}

/** Adds case variants (Go's appendFoldedRange); huge ranges fold their ASCII letters only. */
function fold(ranges: Range[]): Range[] {
  const out = [...ranges];
  for (const [lo, hi] of ranges) {
    if (hi - lo > 0x3000) {
      for (const [a, b, d] of [[0x41, 0x5a, 32], [0x61, 0x7a, -32]] as const) {
        const l = Math.max(lo, a), h = Math.min(hi, b);
        if (l <= h) out.push([l + d, h + d]);
      }
      continue;
    }
    for (let c = lo; c <= hi; c++) for (const o of otherCases(c)) out.push([o, o]);
  }
  return normalize(out);
}

function hex(c: number): string {
  return /[\w ]/.test(String.fromCodePoint(c)) && c < 0x80 ? String.fromCodePoint(c) : `\\u{${c.toString(16)}}`;
}

function classSource(ranges: Range[], props: string[], negated: boolean): string {
  const body = normalize(ranges).map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
  return `[${negated ? '^' : ''}${body}${props.join('')}]`;
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

  constructor(private readonly src: string, private readonly iFlag: boolean) {}

  run(): string {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      switch (c) {
        case '(': this.group(); break;
        case ')': this.close(); break;
        case '|': this.emit('|', false); this.pos++; break;
        case '^': this.emit(this.flags.m ? '(?:^|(?<=\\n))' : '(?:^)', true); this.pos++; break;
        case '$': this.emit(this.flags.m ? '(?:$|(?=\\n))' : '(?:$)', true); this.pos++; break;
        case '.': this.emit(this.flags.s ? '[\\u{0}-\\u{10ffff}]' : '[^\\n]', true); this.pos++; break;
        case '[': this.charClass(); break;
        case '*': case '+': case '?': this.repeat(c, 1); break;
        case '{': {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.pos));
          if (!m) { this.literal(0x7b); this.pos++; break; }
          const min = Number(m[1]);
          const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
          if (min > 1000 || max > 1000 || (max >= 0 && min > max)) throw new GoRegexpError('invalid repeat count', m[0]);
          this.repeat(m[0], m[0].length);
          break;
        }
        case '\\': this.escape(); break;
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
    else this.emit(classSource([cp, ...variants].map((v): Range => [v, v]), [], false), true);
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
    if (after[0] === '?') { lazy = !lazy; after = after.slice(1); }
    const text = before.slice(0, before.length - after.length);
    if (this.repeated !== '') throw new GoRegexpError('invalid nested repetition operator', this.repeated + text);
    if (this.atom === undefined) throw new GoRegexpError('missing argument to repetition operator', text);
    this.out += op + (lazy ? '?' : '');
    this.repeated = text;
    this.pos += text.length;
  }

  private group(): void {
    const rest = this.src.slice(this.pos);
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (named && (rest.startsWith('(?P<') || !/^\(\?<[=!]/.test(rest))) {
      const name = named[1]!;
      if (!/^\w+$/.test(name)) throw new GoRegexpError('invalid named capture', named[0]);
      if (this.names.has(name)) throw new GoRegexpError('duplicate capture group name', name);
      this.names.add(name);
      this.open(`(?<${name}>`, named[0].length);
      return;
    }
    if (rest.startsWith('(?P')) throw new GoRegexpError('invalid named capture', rest.slice(0, rest.indexOf('>') + 1) || rest);
    if (!rest.startsWith('(?')) { this.open('(', 1); return; }
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
      case 'A': this.emit('(?:^)', true); this.pos += 2; return;
      case 'z': this.emit('(?:$)', true); this.pos += 2; return;
      case 'b': this.emit('(?:\\b)', true); this.pos += 2; return;
      case 'B': this.emit('(?:\\B)', true); this.pos += 2; return;
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
    if (name.startsWith('^')) { neg = !neg; name = name.slice(1); }
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
    if (s[i] === '^') { negated = true; i++; }
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
    if (props.length === 0) { this.ranges(ranges, negated); return; }
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
    const x = unhex(s[i + 2]), y = unhex(s[i + 3]);
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
