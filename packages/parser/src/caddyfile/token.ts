/** @module token: the Caddyfile token, the unit every later stage works with. */
import type { SourceRange } from '../diagnostics.js';

/** How a token was quoted in the source: not at all, "double", `backtick`, or as a <<heredoc. */
export type QuoteKind = '' | '"' | '`' | '<';

/**
 * A Caddyfile token (Caddy's `caddyfile.Token`). `text` is the value after unquoting and escape handling;
 * `line` is Caddy's line number (backslash-newline continuations keep the line of the first physical line),
 * while `range` is the token's exact place in its source file.
 */
export interface Token {
  text: string;
  quote: QuoteKind;
  /** Caddy's line number, which decides which tokens share a line. */
  line: number;
  /** The file the token was read from: the main file's given name, or an imported file's absolute path. */
  file: string;
  range: SourceRange;
  /** The import chain that brought this token in, outermost first: `FILE:LINE (import NAME)`. */
  imports: readonly string[];
  /** The snippet this token was defined in, when it came from one. */
  snippetName?: string;
  heredocMarker?: string;
}

/** Whether the token was quoted in any way (Caddy's `Token.Quoted`). */
export function isQuoted(t: Token): boolean {
  return t.quote !== '';
}

/** An unquoted `{`: the only kind of `{` that opens a block. */
export function isOpenBrace(t: Token): boolean {
  return t.quote === '' && t.text === '{';
}

/** An unquoted `}`: the only kind of `}` that closes a block. */
export function isCloseBrace(t: Token): boolean {
  return t.quote === '' && t.text === '}';
}

/** Line breaks a token spans (Caddy's `NumLineBreaks`): heredocs add two for their marker lines. */
export function numLineBreaks(t: Token): number {
  let n = 0;
  for (let i = t.text.indexOf('\n'); i >= 0; i = t.text.indexOf('\n', i + 1)) n++;
  return t.quote === '<' ? n + 2 : n;
}

function sameChain(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether `next` starts a new line relative to `prev` (Caddy's `isNextOnNewLine`): tokens from different
 * files or import chains are never on the same line.
 */
export function isNextOnNewLine(prev: Token, next: Token): boolean {
  if (prev.file !== next.file) return true;
  if (!sameChain(prev.imports, next.imports)) return true;
  return prev.line + numLineBreaks(prev) < next.line;
}

/** The text a token had in the source, quotes re-added (Caddy's `ValRaw`; heredocs are not re-wrapped). */
export function rawValue(t: Token): string {
  if (t.quote === '"') return `"${t.text}"`;
  if (t.quote === '`') return `\`${t.text}\``;
  return t.text;
}
