/** @module util/go-template/quote: Go's strconv.Quote, QuoteToASCII, QuoteRune and Unquote (double-quoted form). */

const SHORT: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** Go's unicode.IsPrint, closely enough: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(c: string): boolean {
  return c === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(c);
}

function quoteWith(s: string, q: '"' | "'", ascii: boolean): string {
  let out = q;
  for (const c of s) {
    if (c === q || c === '\\') out += `\\${c}`;
    else if (ascii ? c >= ' ' && c < '\x7f' : isPrint(c)) out += c;
    else if (SHORT[c]) out += SHORT[c];
    else {
      const cp = c.codePointAt(0)!;
      if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp === 0xfffd && !ascii) out += c;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    }
  }
  return out + q;
}

/** strconv.Quote. */
export const goQuote = (s: string): string => quoteWith(s, '"', false);
/** strconv.QuoteToASCII. */
export const goQuoteASCII = (s: string): string => quoteWith(s, '"', true);
/** strconv.QuoteRune. */
export const goQuoteRune = (cp: number): string => quoteWith(String.fromCodePoint(cp), "'", false);

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** strconv.Unquote of a double-quoted Go string. */
export function goUnquote(q: string): string {
  if (q.length < 2 || q[0] !== '"' || q[q.length - 1] !== '"') throw new Error('invalid syntax');
  const s = q.slice(1, -1);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\n') throw new Error('invalid syntax');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    if (e === undefined) throw new Error('invalid syntax');
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const h = s.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== n) throw new Error('invalid syntax');
      const v = Number.parseInt(h, 16);
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))) throw new Error('invalid syntax');
      // A \x byte is a raw byte in Go; bytes up to 0x7f are the same character.
      out += String.fromCodePoint(v);
      i += n;
    } else if (e >= '0' && e <= '7') {
      const o = s.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new Error('invalid syntax');
      out += String.fromCodePoint(Number.parseInt(o, 8));
      i += 2;
    } else throw new Error('invalid syntax');
  }
  return out;
}
