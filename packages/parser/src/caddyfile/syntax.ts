/**
 * @module syntax: what the grammar builds while it parses: top-level items, directive lines and `{ }` blocks,
 * each with its tokens in source order. Parts the grammar made up in error recovery are simply absent.
 */
import type { Token } from './token.js';

/** A `{ ... }`: its braces (absent when recovery made them up) and its lines. */
export interface Braces {
  open: Token | undefined;
  stmts: Stmt[];
  close: Token | undefined;
  /** For a block that starts a line (a mistake): whether a line break comes before it. */
  onNewLine?: boolean;
}

/** One line (Caddy's segment): its words and the blocks opened on it, in source order. */
export interface Stmt {
  items: (Token | Braces)[];
}

/**
 * A top-level item: an `import` line (`words` are `import` and its arguments, `braces` its block), or a block
 * (`words` are its keys, none for the global options block; `braces` its body, or `stmts` in single-site mode).
 */
export interface TopItem {
  kind: 'import' | 'block' | undefined;
  words: Token[];
  braces: Braces | undefined;
  stmts: Stmt[];
}

export function newBraces(): Braces {
  return { open: undefined, stmts: [], close: undefined };
}

export function newStmt(): Stmt {
  return { items: [] };
}

export function newTopItem(): TopItem {
  return { kind: undefined, words: [], braces: undefined, stmts: [] };
}

export function isBraces(x: Token | Braces): x is Braces {
  return (x as Braces).stmts !== undefined;
}

/** Every token of a block, braces included, in order. */
export function bracesTokens(b: Braces, out: Token[] = []): Token[] {
  if (b.open) out.push(b.open);
  for (const s of b.stmts) stmtTokens(s, out);
  if (b.close) out.push(b.close);
  return out;
}

/** Every token of a line, blocks included, in order. */
export function stmtTokens(s: Stmt, out: Token[] = []): Token[] {
  for (const x of s.items) {
    if (isBraces(x)) bracesTokens(x, out);
    else out.push(x);
  }
  return out;
}

/** The first token of a block, if it has any. */
export function firstOfBraces(b: Braces): Token | undefined {
  if (b.open) return b.open;
  for (const s of b.stmts) {
    const t = firstOfStmt(s);
    if (t) return t;
  }
  return b.close;
}

export function firstOfStmt(s: Stmt): Token | undefined {
  for (const x of s.items) {
    const t = isBraces(x) ? firstOfBraces(x) : x;
    if (t) return t;
  }
  return undefined;
}

/** The last token of a block, if it has any. */
export function lastOfBraces(b: Braces): Token | undefined {
  if (b.close) return b.close;
  for (let i = b.stmts.length - 1; i >= 0; i--) {
    const t = lastOfStmt(b.stmts[i]!);
    if (t) return t;
  }
  return b.open;
}

export function lastOfStmt(s: Stmt): Token | undefined {
  for (let i = s.items.length - 1; i >= 0; i--) {
    const x = s.items[i]!;
    const t = isBraces(x) ? lastOfBraces(x) : x;
    if (t) return t;
  }
  return undefined;
}

/** The first and last tokens of a top-level item. */
export function edgesOfTop(item: TopItem): [Token | undefined, Token | undefined] {
  let first: Token | undefined = item.words[0];
  if (!first && item.braces) first = firstOfBraces(item.braces);
  for (let i = 0; !first && i < item.stmts.length; i++) first = firstOfStmt(item.stmts[i]!);
  let last: Token | undefined;
  for (let i = item.stmts.length - 1; !last && i >= 0; i--) last = lastOfStmt(item.stmts[i]!);
  if (!last && item.braces) last = lastOfBraces(item.braces);
  if (!last) last = item.words[item.words.length - 1];
  return [first, last];
}
