/**
 * @module util/go-regexp-classes: the sets of runes behind Go's regexp classes (`\d \s \w`, `[[:alpha:]]`, `\pL`) and
 * Go's case folding, as explicit JavaScript `u`-mode classes (util/go-regexp writes them).
 */

export const MAX_RUNE = 0x10ffff;
/** An inclusive range of code points. */
export type Range = [number, number];

const DIGIT: Range[] = [[0x30, 0x39]];
const SPACE: Range[] = [
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
];
const WORD: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
export const PERL: Record<string, Range[]> = { d: DIGIT, s: SPACE, w: WORD };
export const POSIX: Record<string, Range[]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};
/** Unicode general categories Go knows by name; any other `\p{Name}` is a script. */
export const CATEGORY = /^(?:[CLMNPSZ]|C[cfos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps])$/;

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

export function negate(ranges: Range[]): Range[] {
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
  )
    .trim()
    .split(' ')
    .map((p): [number, number] => {
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
export function otherCases(c: number): number[] {
  const out: number[] = [];
  for (let f = simpleFold(c); f !== c && out.length < 4; f = simpleFold(f)) out.push(f);
  return out;
}

/** Adds case variants (Go's appendFoldedRange); huge ranges fold their ASCII letters only. */
export function fold(ranges: Range[]): Range[] {
  const out = [...ranges];
  for (const [lo, hi] of ranges) {
    if (hi - lo > 0x3000) {
      for (const [a, b, d] of [
        [0x41, 0x5a, 32],
        [0x61, 0x7a, -32],
      ] as const) {
        const l = Math.max(lo, a),
          h = Math.min(hi, b);
        if (l <= h) out.push([l + d, h + d]);
      }
      continue;
    }
    for (let c = lo; c <= hi; c++) for (const o of otherCases(c)) out.push([o, o]);
  }
  return normalize(out);
}

export function hex(c: number): string {
  return /[\w ]/.test(String.fromCodePoint(c)) && c < 0x80 ? String.fromCodePoint(c) : `\\u{${c.toString(16)}}`;
}

export function classSource(ranges: Range[], props: string[], negated: boolean): string {
  const body = normalize(ranges)
    .map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`))
    .join('');
  return `[${negated ? '^' : ''}${body}${props.join('')}]`;
}
