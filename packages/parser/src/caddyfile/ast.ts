/** @module ast: the parsed form of a Caddyfile, with the source range of every token and block. */
import type { SourceRange } from '../diagnostics.js';
import type { CommentToken } from './lexer.js';
import type { Token } from './token.js';

/**
 * One directive with its arguments and the blocks opened on its line, as a flat token list (Caddy's
 * `Segment`): the dispenser walks it.
 */
export interface Segment {
  tokens: Token[];
  range: SourceRange;
}

/**
 * A site block, the global options block (no keys), or a named route (Caddy's `ServerBlock`).
 * Snippets are not blocks: they are expanded where imported.
 */
export interface ServerBlock {
  keys: Token[];
  hasBraces: boolean;
  isNamedRoute: boolean;
  segments: Segment[];
  range: SourceRange;
}

/**
 * A snippet definition `(name) { ... }`, kept for editors (outline, go to definition, unused snippets) whether
 * or not it is imported; adapting uses the blocks only, where imports already brought the snippets in.
 */
export interface SnippetDefinition {
  name: string;
  /** The `(name)` token. */
  key: Token;
  /** The body's tokens, braces excluded, as written (import arguments not substituted). */
  tokens: Token[];
  /** From `(name)` to the closing brace. */
  range: SourceRange;
}

/** A whole parsed Caddyfile, imports and snippets expanded. */
export interface CaddyfileAST {
  file: string;
  blocks: ServerBlock[];
  /** Every snippet defined, in the order met (imported files' included). */
  snippets: SnippetDefinition[];
  /** Comments of the main file, for editors and the formatter. */
  comments: CommentToken[];
}

/** The range from the start of one token to the end of another. */
export function spanRange(first: Token, last: Token): SourceRange {
  if (first.range.file !== last.range.file) return first.range;
  return {
    file: first.range.file,
    line: first.range.line,
    column: first.range.column,
    offset: first.range.offset,
    endLine: last.range.endLine,
    endColumn: last.range.endColumn,
    endOffset: last.range.endOffset,
  };
}
