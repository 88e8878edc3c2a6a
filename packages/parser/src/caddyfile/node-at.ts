/**
 * @module node-at: what is under an editor's cursor: the block, site address, directive (or global option),
 * nested subdirectives, argument, matcher and placeholder at an offset of the main file.
 */
import type { SourceRange } from '../diagnostics.js';
import type { CaddyfileAST, ServerBlock } from './ast.js';
import { isCloseBrace, isNextOnNewLine, isOpenBrace, type Token } from './token.js';

/** The kind of top-level block: the global options block, a site, a named route `&(name)`, a snippet `(name)`. */
export type BlockKind = 'global' | 'site' | 'named-route' | 'snippet';

/** The path to the node at an offset, outermost first. Fields are absent where the cursor is not in such a node. */
export interface NodePath {
  block: { kind: BlockKind; index: number; range: SourceRange; name?: string };
  /** A site address (`index` among the block's keys). */
  key?: { index: number; token: Token };
  /** The directive (a global option in the global block; a snippet's first-level line) the cursor is in. */
  directive?: { name: string; token: Token };
  /** The lines of the nested blocks the cursor is in, outermost first, by their first token (`lb_policy`...). */
  subdirectives: Token[];
  /** An argument of the innermost line (0 is the first after its name). */
  argument?: { index: number; token: Token };
  /** The token under the cursor. */
  token?: Token;
  /** A matcher token: a `@name` (its definition when it starts the directive line) or a `*` / `/path` matcher. */
  matcher?: { name: string; token: Token; definition: boolean };
  /** A `{placeholder}` in the token under the cursor, with its offsets in the file. */
  placeholder?: { name: string; offset: number; endOffset: number };
}

/**
 * The node at a 0-based `offset` of `file` (the main file by default); a cursor just after a token counts as on
 * it. Between tokens, the path stops at the enclosing block. Undefined outside every block.
 */
export function nodeAt(ast: CaddyfileAST, offset: number, file = ast.file): NodePath | undefined {
  const inRange = (r: SourceRange) => r.file === file && r.offset <= offset && offset <= r.endOffset;
  for (let i = 0; i < ast.snippets.length; i++) {
    const s = ast.snippets[i]!;
    if (!inRange(s.range)) continue;
    const path: NodePath = { block: { kind: 'snippet', index: i, range: s.range, name: s.name }, subdirectives: [] };
    if (within(s.key, offset)) return { ...path, token: s.key };
    return inTokens(
      path,
      s.tokens.filter((t) => here(t, file)),
      offset,
    );
  }
  for (let i = 0; i < ast.blocks.length; i++) {
    const b = ast.blocks[i]!;
    if (!inRange(b.range)) continue;
    const path: NodePath = {
      block: { kind: kindOf(b), index: i, range: b.range, ...(b.isNamedRoute ? { name: b.keys[0]!.text } : {}) },
      subdirectives: [],
    };
    const k = b.keys.findIndex((t) => here(t, file) && within(t, offset));
    if (k >= 0 && !b.isNamedRoute) return { ...path, key: { index: k, token: b.keys[k]! }, token: b.keys[k]! };
    // A named route's one segment starts with its name: its lines are what a site's segments would be.
    const segments = b.isNamedRoute ? b.segments.map((s) => s.tokens.slice(1)) : b.segments.map((s) => s.tokens);
    let before: Token[] | undefined;
    for (const seg of segments) {
      const tokens = seg.filter((t) => here(t, file));
      if (tokens.some((t) => within(t, offset))) return inTokens(path, tokens, offset);
      if (tokens.length > 0 && tokens[0]!.range.offset <= offset) before = tokens;
    }
    return before ? inTokens(path, before, offset) : path;
  }
  return undefined;
}

function kindOf(b: ServerBlock): BlockKind {
  if (b.isNamedRoute) return 'named-route';
  return b.keys.length === 0 ? 'global' : 'site';
}

/** Whether the token is written at its place in `file` (not brought in by an import or a snippet). */
function here(t: Token, file: string): boolean {
  return t.range.file === file && t.imports.length === 0;
}

function within(t: Token, offset: number): boolean {
  return t.range.offset <= offset && offset <= t.range.endOffset;
}

/** The path within a list of directive lines (a segment, or a snippet's body). */
function inTokens(path: NodePath, tokens: Token[], offset: number): NodePath {
  let directive: Token | undefined;
  const open: Token[] = [];
  let head: Token | undefined;
  let arg = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.range.offset > offset) break;
    const newLine = i === 0 || isNextOnNewLine(tokens[i - 1]!, t);
    if (isCloseBrace(t)) {
      open.pop();
      head = undefined;
    } else if (newLine) {
      head = t;
      arg = 0;
      if (open.length === 0) directive = t;
    } else arg++;
    if (within(t, offset)) return onToken(path, directive, open, head, arg, t, offset);
    if (isOpenBrace(t) && head) open.push(head);
  }
  // Between tokens: the blocks still open there.
  if (open.length === 0) return path;
  return { ...path, directive: { name: open[0]!.text, token: open[0]! }, subdirectives: open.slice(1) };
}

function onToken(
  path: NodePath,
  directive: Token | undefined,
  open: Token[],
  head: Token | undefined,
  arg: number,
  t: Token,
  offset: number,
): NodePath {
  const out: NodePath = { ...path, token: t };
  const lines = head && head !== open[open.length - 1] ? [...open, head] : open;
  const top = lines[0] ?? directive;
  if (top) out.directive = { name: top.text, token: top };
  out.subdirectives = lines.slice(1);
  if (head && t !== head && !isOpenBrace(t) && !isCloseBrace(t)) out.argument = { index: arg - 1, token: t };
  if (t.quote === '' && t.text.startsWith('@'))
    out.matcher = { name: t.text.slice(1), token: t, definition: t === head };
  else if (t.quote === '' && lines.length === 1 && arg === 1 && (t.text === '*' || t.text.startsWith('/'))) {
    out.matcher = { name: t.text, token: t, definition: false };
  }
  const p = placeholderAt(t, offset);
  if (p) out.placeholder = p;
  return out;
}

/** The `{...}` around `offset` in a token whose text maps one to one onto its source (no escapes or env values). */
function placeholderAt(t: Token, offset: number): NodePath['placeholder'] {
  if (t.quote === '<') return undefined;
  const q = t.quote === '' ? 0 : 1;
  const start = t.range.offset + q;
  if (t.range.endOffset - t.range.offset - 2 * q !== t.text.length) return undefined;
  const at = offset - start;
  for (let open = t.text.indexOf('{'); open >= 0; open = t.text.indexOf('{', open + 1)) {
    if (open > 0 && t.text[open - 1] === '\\') continue;
    const close = t.text.indexOf('}', open + 1);
    if (close < 0) return undefined;
    const inner = t.text.slice(open + 1, close);
    if (inner.includes('{')) continue;
    if (open <= at && at <= close + 1 && inner !== '')
      return { name: inner, offset: start + open, endOffset: start + close + 1 };
  }
  return undefined;
}
