/**
 * @module lexer: the Chevrotain lexer for Caddyfiles. Text in, a flat list of tokens (with exact ranges and
 * Caddy's line numbers), comments and diagnostics out; it never throws.
 */
import { createToken, Lexer, type CustomPatternMatcherReturn, type IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics.js';
import { scanToken, type ScanError, type ScanResult } from './scan.js';
import type { Token } from './token.js';

const SPACE = '[\\t\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

/** Blanks other than newlines. */
export const Blank = createToken({ name: 'Blank', pattern: new RegExp(`${SPACE}+`), group: Lexer.SKIPPED, line_breaks: false });
/** A newline ends a line (unless escaped). */
export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true, group: Lexer.SKIPPED });
/** `\` + blanks + newline: the next line continues this one. */
export const Continuation = createToken({
  name: 'Continuation',
  pattern: new RegExp(`\\\\${SPACE}*\\n`),
  line_breaks: true,
  group: 'continuations',
});
/** A lone backslash before a blank or at the end of input is dropped, as Caddy does. */
export const DroppedEscape = createToken({
  name: 'DroppedEscape',
  pattern: new RegExp(`\\\\(?=${SPACE}|$)`),
  group: Lexer.SKIPPED,
});
/** `#` at the start of a token runs to the end of the line. */
export const Comment = createToken({ name: 'Comment', pattern: /\\?#[^\n]*/, group: 'comments' });

/** Any word, quoted string, backtick string or heredoc; the scan result rides along as the payload. */
export const Word = createToken({
  name: 'Word',
  pattern: {
    exec: (text: string, offset: number): CustomPatternMatcherReturn | null => {
      const scan = scanToken(text, offset);
      if (!scan) return null;
      const match = [text.slice(offset, scan.end)] as unknown as CustomPatternMatcherReturn;
      match.payload = scan;
      return match;
    },
  },
  line_breaks: true,
});

const caddyfileLexer = new Lexer([Blank, Newline, Continuation, DroppedEscape, Comment, Word], {
  positionTracking: 'full',
  // Only \n ends a line, as in Caddy's lexer (a lone \r is dropped): line numbers must match Caddy's.
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ['\n'],
  ensureOptimizations: false,
  skipValidations: true,
});

/** A comment with its place, kept for editors and the formatter. */
export interface CommentToken {
  text: string;
  line: number;
  column: number;
}

/** What lexing one file gives. */
export interface LexResult {
  tokens: Token[];
  comments: CommentToken[];
  diagnostics: Diagnostic[];
}

/**
 * Tokenizes a Caddyfile's text (Caddy's `Tokenize`). `file` is the name recorded in every token and
 * diagnostic; a leading BOM is dropped.
 */
export function tokenize(input: string, file: string, imports: readonly string[] = []): LexResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const result = caddyfileLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  const continued = new Set<number>();
  for (const c of result.groups['continuations'] ?? []) continued.add(c.startLine ?? 0);
  const caddyLine = (physical: number): number => {
    let line = physical;
    while (continued.has(line - 1)) line--;
    return line;
  };
  const tokens: Token[] = [];
  for (const t of result.tokens) {
    const scan = t.payload as ScanResult;
    const token = toToken(t, scan, file, imports, caddyLine(t.startLine ?? 1));
    if (scan.error) diagnostics.push(lexError(scan.error, token));
    if (scan.noToken) continue;
    tokens.push(token);
  }
  for (const e of result.errors) {
    diagnostics.push({
      severity: 'error', code: 'lexing-error', message: e.message, file,
      line: e.line ?? 1, column: e.column ?? 1, endLine: e.line ?? 1, endColumn: (e.column ?? 1) + e.length,
    });
  }
  const comments = (result.groups['comments'] ?? []).map((c) => ({ text: c.image, line: c.startLine ?? 1, column: c.startColumn ?? 1 }));
  return { tokens, comments, diagnostics };
}

function toToken(t: IToken, scan: ScanResult, file: string, imports: readonly string[], line: number): Token {
  const token: Token = {
    text: scan.value,
    quote: scan.quote,
    line,
    file,
    imports,
    range: {
      file,
      line: t.startLine ?? 1,
      column: t.startColumn ?? 1,
      endLine: t.endLine ?? t.startLine ?? 1,
      endColumn: (t.endColumn ?? t.startColumn ?? 1) + 1,
      offset: t.startOffset,
      endOffset: (t.endOffset ?? t.startOffset) + 1,
    },
  };
  if (scan.heredocMarker !== undefined) token.heredocMarker = scan.heredocMarker;
  return token;
}

function lexError(e: ScanError, t: Token): Diagnostic {
  const n = t.line;
  let message: string;
  switch (e.kind) {
    case 'heredoc-marker-missing':
      message = `missing opening heredoc marker on line #${n}; must contain only alphanumeric characters, dashes and underscores; got empty string`;
      break;
    case 'heredoc-too-many':
      message = `too many '<' for heredoc on line #${n}; only use two, for example <<END`;
      break;
    case 'heredoc-marker-invalid':
      message = `heredoc marker on line #${n} must contain only alphanumeric characters, dashes and underscores; got '${e.marker}'`;
      break;
    case 'heredoc-incomplete':
      message = `incomplete heredoc <<${e.marker} on line #${n}, expected ending marker ${e.marker}`;
      break;
    case 'heredoc-padding':
      message = `mismatched leading whitespace in heredoc <<${e.marker} on line #${n + (e.lineIndex ?? 0) + 1} [${e.lineText}], expected whitespace [${e.padding}] to match the closing marker`;
      break;
    case 'unterminated-quote':
      message = `unterminated quoted string starting on line #${n}; expected a closing '"'`;
      break;
    case 'unterminated-backtick':
      message = `unterminated backtick string starting on line #${n}; expected a closing '\`'`;
      break;
  }
  const r = t.range;
  return { severity: 'error', code: 'lexing-error', message, file: t.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
}
