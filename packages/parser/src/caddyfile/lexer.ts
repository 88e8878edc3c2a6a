/**
 * @module lexer: the Caddyfile lexer. Text in, a flat list of tokens (with exact ranges and Caddy's line
 * numbers), comments and diagnostics out; it never throws. Blanks, newlines, `\`-newline continuations and
 * comments are told apart by their first character; a word, quoted string or heredoc is scanned by `scan.ts`
 * (Caddy's `lexer.go` state machine). One pass, no regular expressions: lexing is a large share of adapting.
 */
import type { Diagnostic, SourceRange } from '../diagnostics.js';
import { OriginalPositions, substituteEnv, type Env } from './env.js';
import { isSpaceCode, scanToken, type ScanError, type ScanResult } from './scan.js';
import type { Token } from './token.js';

const NL = 10;
const BACKSLASH = 92;
const HASH = 35;

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
 * diagnostic; a leading BOM is dropped. Lines and columns are 1-based, columns in UTF-16 code units, ends
 * exclusive; only `\n` ends a line (a lone `\r` is dropped), so line numbers match Caddy's.
 */
export function tokenize(input: string, file: string, imports: readonly string[] = []): LexResult {
  return lex(withoutBom(input), file, imports, undefined);
}

/**
 * Tokenizes a file's text after `{$VAR}` substitution, as Caddy does, while every range (and comment place)
 * stays in the original text: a token made of substituted text gets the placeholder's range. Caddy's line
 * numbers (`Token.line`) are those of the substituted text, since they decide which tokens share a line.
 */
export function tokenizeFile(input: string, file: string, env: Env, imports: readonly string[] = []): LexResult {
  const original = withoutBom(input);
  const { text, substitutions } = substituteEnv(original, env);
  return lex(
    text,
    file,
    imports,
    substitutions.length > 0 ? new OriginalPositions(original, substitutions) : undefined,
  );
}

function withoutBom(input: string): string {
  return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
}

function lex(
  text: string,
  file: string,
  imports: readonly string[],
  original: OriginalPositions | undefined,
): LexResult {
  const n = text.length;
  const tokens: Token[] = [];
  const comments: CommentToken[] = [];
  const diagnostics: Diagnostic[] = [];
  let offset = 0;
  /** The physical line at `offset`, and the offset it starts at. */
  let line = 1;
  let lineStart = 0;
  /** Caddy's line number for the physical line: a `\`-newline continuation keeps the line it started on. */
  let caddyLine = 1;
  while (offset < n) {
    const c = text.charCodeAt(offset);
    if (c === NL) {
      offset++;
      line++;
      lineStart = offset;
      caddyLine = line;
      continue;
    }
    if (isSpaceCode(c)) {
      offset++;
      while (offset < n && text.charCodeAt(offset) !== NL && isSpaceCode(text.charCodeAt(offset))) offset++;
      continue;
    }
    if (c === BACKSLASH) {
      let i = offset + 1;
      while (i < n && text.charCodeAt(i) !== NL && isSpaceCode(text.charCodeAt(i))) i++;
      if (i < n && text.charCodeAt(i) === NL) {
        // A continuation: the next physical line is part of this one.
        offset = i + 1;
        line++;
        lineStart = offset;
        continue;
      }
      if (i > offset + 1 || i === n) {
        // A lone backslash before a blank or at the end of input is dropped, as Caddy does.
        offset++;
        continue;
      }
    }
    if (c === HASH || (c === BACKSLASH && text.charCodeAt(offset + 1) === HASH)) {
      // A comment runs to the end of the line (`\#` too: a Caddy quirk).
      let end = text.indexOf('\n', offset);
      if (end < 0) end = n;
      if (original)
        comments.push({ text: text.slice(offset, end), ...original.lineColumn(original.offset(offset, false)) });
      else comments.push({ text: text.slice(offset, end), line, column: offset - lineStart + 1 });
      offset = end;
      continue;
    }
    const scan = scanToken(text, offset);
    if (!scan || scan.end <= offset) {
      // Unreachable with the cases above (every character starts something); kept so the loop always advances.
      diagnostics.push({
        severity: 'error',
        code: 'lexing-error',
        message: `unexpected character: ->${text.charAt(offset)}<- at offset: ${offset}, skipped 1 characters.`,
        file,
        line,
        column: offset - lineStart + 1,
        endLine: line,
        endColumn: offset - lineStart + 2,
      });
      offset++;
      continue;
    }
    const token = makeToken(text, offset, scan, file, imports, line, offset - lineStart + 1, caddyLine);
    if (original) token.range = originalRange(original, file, offset, scan.end);
    if (scan.error) diagnostics.push(lexError(scan.error, token));
    if (!scan.noToken) tokens.push(token);
    // Line breaks inside the token: only quoted strings and heredocs have any.
    if (scan.quote !== '')
      for (let i = text.indexOf('\n', offset); i >= 0 && i < scan.end; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
        caddyLine = line;
      }
    offset = scan.end;
  }
  return { tokens, comments, diagnostics };
}

/** A token for the source text `text[start, scan.end)` starting at `line`:`column`. */
function makeToken(
  text: string,
  start: number,
  scan: ScanResult,
  file: string,
  imports: readonly string[],
  line: number,
  column: number,
  caddyLine: number,
): Token {
  const length = scan.end - start;
  let endLine = line;
  let endColumn = column + length - 1;
  // Over line breaks, the end is on the last line; a final line break only counts for the next token.
  let breaks = 0;
  let last = -1;
  if (scan.quote !== '')
    for (let i = text.indexOf('\n', start); i >= 0 && i < scan.end; i = text.indexOf('\n', i + 1)) {
      breaks++;
      last = i - start;
    }
  if (breaks > 0) {
    const endsWithBreak = last === length - 1;
    if (!(breaks === 1 && endsWithBreak)) {
      endLine = line + breaks - (endsWithBreak ? 1 : 0);
      endColumn = length - last - 1 + (endsWithBreak ? 1 : 0);
    }
  }
  const token: Token = {
    text: scan.value,
    quote: scan.quote,
    line: caddyLine,
    file,
    imports,
    range: { file, line, column, endLine, endColumn: endColumn + 1, offset: start, endOffset: scan.end },
  };
  if (scan.heredocMarker !== undefined) token.heredocMarker = scan.heredocMarker;
  return token;
}

/** The range in the original text of the substituted text `[start, end)`. */
function originalRange(original: OriginalPositions, file: string, start: number, end: number): SourceRange {
  const offset = original.offset(start, false);
  const endOffset = Math.max(offset, original.offset(end, true));
  const from = original.lineColumn(offset);
  // The end is just after the last character, on that character's line.
  const last = endOffset > offset ? original.lineColumn(endOffset - 1) : from;
  const endColumn = endOffset > offset ? last.column + 1 : from.column;
  return { file, line: from.line, column: from.column, endLine: last.line, endColumn, offset, endOffset };
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
  return {
    severity: 'error',
    code: 'lexing-error',
    message,
    file: t.file,
    line: r.line,
    column: r.column,
    endLine: r.endLine,
    endColumn: r.endColumn,
  };
}
