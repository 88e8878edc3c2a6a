/**
 * @module outline: the open file's shape as the editor sees it, from its tokens alone (no import expansion):
 * lines grouped into entries (a directive with its arguments), the block each entry sits in, and the cursor
 * lookup the features share. The parser's AST expands snippets and imports, so it cannot say what the cursor
 * is on in the text as written; this file is the one place that does, so it can be swapped for the parser's
 * own lookup later.
 */
import { isCloseBrace, isOpenBrace, numLineBreaks, tokenize, type CommentToken, type Token } from '@proxy/parser';

/** What a top-level entry is. */
export type TopKind = 'global' | 'site' | 'snippet' | 'named-route' | 'import';

/** One logical line: its tokens (braces excluded), where it sits, and the block it opens. */
export interface Entry {
  tokens: Token[];
  /** The entry whose `{` this entry sits in. */
  parent: Entry | undefined;
  depth: number;
  /** Offsets of the `{` this entry opens and of its `}` (the text's end when unclosed). */
  block?: { open: number; close: number };
  /** For depth-0 entries. */
  top?: TopKind;
  children: Entry[];
}

export interface Outline {
  entries: Entry[];
  tops: Entry[];
  tokens: Token[];
  comments: CommentToken[];
}

function topKind(first: Token | undefined): TopKind {
  if (!first) return 'global';
  if (first.text === 'import' && first.quote === '') return 'import';
  if (/^\(.*\)$/.test(first.text)) return 'snippet';
  if (/^&\(.*\)$/.test(first.text)) return 'named-route';
  return 'site';
}

/** Builds the outline of a file's text. */
export function outline(text: string, file: string): Outline {
  const { tokens, comments } = tokenize(text, file);
  return group(tokens, comments, text.length);
}

/** The outline of a file's tokens (`length`: the text's, where an unclosed block ends). */
export function group(tokens: Token[], comments: CommentToken[], length: number): Outline {
  const entries: Entry[] = [];
  const tops: Entry[] = [];
  const stack: Entry[] = [];
  let current: Entry | undefined;
  let prev: Token | undefined;
  for (const t of tokens) {
    const newLine = !prev || prev.line + numLineBreaks(prev) < t.line;
    prev = t;
    if (isCloseBrace(t)) {
      const closed = stack.pop();
      if (closed?.block) closed.block.close = t.range.offset;
      current = undefined;
      continue;
    }
    if (newLine || !current) {
      const parent = stack[stack.length - 1];
      current = { tokens: [], parent, depth: stack.length, children: [] };
      entries.push(current);
      if (parent) parent.children.push(current);
      else tops.push(current);
    }
    if (isOpenBrace(t) && current) {
      current.block = { open: t.range.offset, close: length };
      if (current.depth === 0) current.top = topKind(current.tokens[0]);
      stack.push(current);
      current = undefined;
      continue;
    }
    current.tokens.push(t);
  }
  for (const e of tops) e.top ??= topKind(e.tokens[0]);
  return { entries, tops, tokens, comments };
}

/** The innermost entry whose block contains `offset`. */
export function enclosing(o: Outline, offset: number): Entry | undefined {
  let found: Entry | undefined;
  for (const e of o.entries) {
    if (e.block && e.block.open < offset && offset <= e.block.close) {
      if (!found || e.depth > found.depth) found = e;
    }
  }
  return found;
}

/** The token that contains `offset` (or ends right at it). */
export function tokenAt(o: Outline, offset: number): Token | undefined {
  for (const t of o.tokens) if (t.range.offset <= offset && offset <= t.range.endOffset) return t;
  return undefined;
}

/** The entry a token belongs to. */
export function entryOf(o: Outline, t: Token): Entry | undefined {
  return o.entries.find((e) => e.tokens.includes(t));
}

/** The top-level entry an entry sits in. */
export function topOf(e: Entry): Entry {
  let cur = e;
  while (cur.parent) cur = cur.parent;
  return cur;
}

/** Whether an entry is (inside) a `layer4` block. */
export function inLayer4(e: Entry | undefined): boolean {
  for (let cur = e; cur; cur = cur.parent) if (cur.tokens[0]?.text === 'layer4') return true;
  return false;
}
