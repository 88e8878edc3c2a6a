/**
 * @module scan: Caddy's token state machine (`lexer.go:next`) for one word, quoted string, backtick string or
 * heredoc. The lexer calls it where a token starts; it returns where the token ends, its value and any lexing
 * error, so no later stage reads raw text again.
 */
import type { QuoteKind } from './token.js';

/** The result of scanning one token starting at a given offset. */
export interface ScanResult {
  /** Offset just past the token's source text. */
  end: number;
  value: string;
  quote: QuoteKind;
  heredocMarker?: string;
  /** A lexing error; the token is still produced so parsing can go on. */
  error?: ScanError;
  /** Set when the source text makes no token (a heredoc opened right at the end of input). */
  noToken?: boolean;
}

/** A lexing error, with the offset it belongs to and Caddy's message (without the line, added later). */
export interface ScanError {
  kind:
    | 'heredoc-marker-missing'
    | 'heredoc-too-many'
    | 'heredoc-marker-invalid'
    | 'heredoc-incomplete'
    | 'heredoc-padding'
    | 'unterminated-quote'
    | 'unterminated-backtick';
  /** Extra detail: the marker, or the offending heredoc line index and text. */
  marker?: string;
  lineIndex?: number;
  lineText?: string;
  padding?: string;
}

/** Go's `unicode.IsSpace` for the characters that can appear here. */
export function isSpace(ch: string): boolean {
  return isSpaceCode(ch.charCodeAt(0));
}

/** `isSpace` for a UTF-16 code unit. */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const HEREDOC_MARKER = /^[A-Za-z0-9_-]+$/;

/**
 * Scans one token at `start`. Returns null when no token starts there (whitespace, a comment, or a
 * backslash that only escapes the following whitespace), so other token types can match.
 */
export function scanToken(text: string, start: number): ScanResult | null {
  const first = text[start];
  if (first === undefined || isSpace(first) || first === '#') return null;
  if (first === '\\') {
    const next = text[start + 1];
    // `\` + whitespace is a continuation or a dropped escape; `\#` starts a comment (Caddy quirk).
    if (next === undefined || isSpace(next) || next === '#') return null;
  }
  // Most tokens are plain words: no quotes, escapes, CRs or heredoc; their value is their text.
  const c0 = text.charCodeAt(start);
  if (c0 !== 34 && c0 !== 96 && c0 !== 60) {
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92 || c === 13 || isSpaceCode(c)) break;
    }
    if (i === text.length || (text.charCodeAt(i) !== 92 && text.charCodeAt(i) !== 13)) {
      return { end: i, value: text.slice(start, i), quote: '' };
    }
  }
  let val = '';
  let quoted = false;
  let backtick = false;
  let escaped = false;
  let escapePos = -1;
  let heredocEscaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (!quoted && !backtick && !heredocEscaped && val.length > 1 && val.startsWith('<<')) {
      // Only a plain space ends a `<<word` token; anything else but a newline becomes part of the marker.
      if (ch === ' ') return { end: i, value: val, quote: '' };
      if (ch === '\r') continue;
      if (ch === '\n') return scanHeredoc(text, i, val);
      val += ch;
      continue;
    }
    if (!escaped && !backtick && ch === '\\') {
      escaped = true;
      escapePos = i;
      continue;
    }
    if (quoted || backtick) {
      if (quoted && escaped) {
        // Inside double quotes only \" is an escape; any other \x keeps its backslash.
        if (ch !== '"') val += '\\';
        escaped = false;
      } else if ((quoted && ch === '"') || (backtick && ch === '`')) {
        return { end: i + 1, value: val, quote: quoted ? '"' : '`' };
      }
      val += ch;
      continue;
    }
    if (isSpace(ch)) {
      if (ch === '\r') continue; // Caddy ignores CR outside quotes, even inside a word
      // A pending backslash before the whitespace belongs to the continuation / escape token that follows;
      // CRs just before the end are left to the blank token, so they are never counted as line breaks.
      return { end: escaped ? escapePos : trimCR(text, start, i), value: val, quote: '' };
    }
    if (val.length === 0) {
      if (ch === '"') {
        quoted = true;
        continue;
      }
      if (ch === '`') {
        backtick = true;
        continue;
      }
    }
    if (escaped) {
      // `\<` drops the backslash and turns heredoc detection off for this token.
      if (ch === '<') heredocEscaped = true;
      else val += '\\';
      escaped = false;
    }
    val += ch;
  }
  if (quoted) return { end: text.length, value: val, quote: '"', error: { kind: 'unterminated-quote' } };
  if (backtick) return { end: text.length, value: val, quote: '`', error: { kind: 'unterminated-backtick' } };
  return { end: escaped ? escapePos : trimCR(text, start, text.length), value: val, quote: '' };
}

function trimCR(text: string, start: number, end: number): number {
  while (end > start + 1 && text[end - 1] === '\r') end--;
  return end;
}

/** Scans a heredoc whose opening `<<MARKER` ends at the newline at `nl`. */
function scanHeredoc(text: string, nl: number, opener: string): ScanResult {
  if (opener.length === 2) {
    return { end: nl, value: opener, quote: '', error: { kind: 'heredoc-marker-missing' } };
  }
  if (opener.startsWith('<<<')) {
    return { end: nl, value: opener, quote: '', error: { kind: 'heredoc-too-many' } };
  }
  const marker = opener.slice(2);
  if (!HEREDOC_MARKER.test(marker)) {
    return { end: nl, value: opener, quote: '', error: { kind: 'heredoc-marker-invalid', marker } };
  }
  const contentStart = nl + 1;
  // The heredoc ends as soon as the text read so far ends with the marker, wherever that is.
  const at = text.indexOf(marker, contentStart);
  if (at < 0) {
    const rest = text.slice(contentStart);
    if (rest.length === 0) return { end: text.length, value: '', quote: '<', heredocMarker: marker, noToken: true };
    return {
      end: text.length,
      value: rest,
      quote: '<',
      heredocMarker: marker,
      error: { kind: 'heredoc-incomplete', marker },
    };
  }
  const body = text.slice(contentStart, at + marker.length);
  const done = finalizeHeredoc(body, marker);
  const result: ScanResult = { end: at + marker.length, value: done.value, quote: '<', heredocMarker: marker };
  if (done.error) result.error = done.error;
  return result;
}

/** Strips the closing marker's indentation from every line (Caddy's `finalizeHeredoc`). */
function finalizeHeredoc(body: string, marker: string): { value: string; error?: ScanError } {
  const lastNewline = body.lastIndexOf('\n');
  const lines = body.slice(0, lastNewline + 1).split('\n');
  const padding = body.slice(lastNewline + 1, body.length - marker.length);
  let out = '';
  for (let idx = 0; idx < lines.length - 1; idx++) {
    const line = lines[idx]!;
    if (line === '' || line === '\r') {
      out += '\n';
      continue;
    }
    if (!line.startsWith(padding)) {
      return {
        value: '',
        error: { kind: 'heredoc-padding', marker, lineIndex: idx, lineText: line.replace(/[\r\n]+$/, ''), padding },
      };
    }
    out += (line.slice(padding.length) + '\n').replaceAll('\r', '');
  }
  if (out.endsWith('\n')) out = out.slice(0, -1);
  return { value: out };
}
