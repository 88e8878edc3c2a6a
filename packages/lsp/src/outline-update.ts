/**
 * @module outline-update: the outline of a file after an edit inside one top-level block, from the outline
 * before it: the block is tokenized again and the tokens after it move, instead of tokenizing the whole text
 * (on a 2,000-site file that is most of what a completion right after a keystroke waits for, and tens of
 * megabytes of garbage per keystroke). The tokens after the block are moved in place: the outline before the
 * edit is not to be used again.
 */
import { isCloseBrace, isOpenBrace, tokenize, type CommentToken, type Token } from '@proxy/parser';
import { changeBetween, countLines } from './incremental.js';
import { group, type Outline } from './outline.js';

/** The first index in `tokens` (sorted by offset) whose token starts at or after `offset`. */
function firstAtOrAfter(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid]!.range.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The outline of `after`, from `o`, the outline of `before`; undefined when the edit is not inside one block. */
export function updatedOutline(o: Outline, before: string, after: string, file: string): Outline | undefined {
  const c = changeBetween(before, after);
  const top = o.tops.find((e) => e.block && e.block.open < c.start && c.oldEnd <= e.block.close);
  const first = top?.tokens[0];
  if (!top?.block || !first || top.block.close >= before.length) return undefined;
  const start = first.range.offset;
  const delta = c.newEnd - c.oldEnd;
  const newClose = top.block.close + delta;
  const closeAt = firstAtOrAfter(o.tokens, top.block.close);
  const closeToken = o.tokens[closeAt];
  if (!closeToken || closeToken.range.offset !== top.block.close || !isCloseBrace(closeToken)) return undefined;
  const closeLine = closeToken.range.line;
  const rest = o.tokens.slice(closeAt + 1);
  // What follows the `}` on its line would move sideways as well: not worth the care.
  if (rest[0]?.range.line === closeLine || o.comments.some((k) => k.line === closeLine)) return undefined;

  const blockText = after.slice(start, newClose + 1);
  // A `\`-newline continuation makes Caddy's line numbers part from the physical ones until the next newline:
  // where it comes or goes, moving the tokens after the block by whole lines is not enough.
  const continuation = /\\[ \t]*\n/;
  if (continuation.test(blockText) || continuation.test(before.slice(start, top.block.close + 1))) return undefined;
  const lexed = tokenize(blockText, file);
  let depth = 0;
  let closedAt = -1;
  for (let k = 0; k < lexed.tokens.length && closedAt < 0; k++) {
    const t = lexed.tokens[k]!;
    if (isOpenBrace(t)) depth++;
    else if (isCloseBrace(t) && --depth === 0) closedAt = k;
  }
  // The block must still close at its own `}`, and nothing may follow it in the block's text.
  const last = lexed.tokens[closedAt];
  if (closedAt !== lexed.tokens.length - 1 || !last || last.range.offset !== newClose - start) return undefined;

  const baseLine = first.range.line - 1;
  const baseColumn = first.range.column - 1;
  for (const t of lexed.tokens) {
    const r = t.range;
    // Caddy's line: the first token's on the block's first line (a continuation before may hold it back), the
    // physical one after a newline (the lexer catches up there, and the block has no continuation of its own).
    t.line = r.line === 1 ? first.line : r.line + baseLine;
    if (r.endLine === 1) r.endColumn += baseColumn;
    if (r.line === 1) r.column += baseColumn;
    r.line += baseLine;
    r.endLine += baseLine;
    r.offset += start;
    r.endOffset += start;
  }
  const lineDelta = countLines(after.slice(c.start, c.newEnd)) - countLines(before.slice(c.start, c.oldEnd));
  for (const t of rest) {
    t.range.offset += delta;
    t.range.endOffset += delta;
    t.range.line += lineDelta;
    t.range.endLine += lineDelta;
    t.line += lineDelta;
  }
  const comments: CommentToken[] = [];
  for (const k of o.comments) {
    if (k.line < first.range.line) comments.push(k);
    else if (k.line > closeLine) comments.push({ ...k, line: k.line + lineDelta });
  }
  for (const k of lexed.comments) {
    comments.push({ ...k, line: k.line + baseLine, column: k.line === 1 ? k.column + baseColumn : k.column });
  }
  comments.sort((a, b) => a.line - b.line || a.column - b.column);
  // The entries of the other blocks stay (those after it move, in place); the block's are made again.
  const topAt = o.entries.indexOf(top);
  let nextTop = topAt + 1;
  while (nextTop < o.entries.length && o.entries[nextTop]!.depth > 0) nextTop++;
  const later = o.entries.slice(nextTop);
  for (const e of later) {
    if (e.block) {
      e.block.open += delta;
      e.block.close += delta;
    }
  }
  const block = group(lexed.tokens, [], after.length);
  const topsAt = o.tops.indexOf(top);
  const at = firstAtOrAfter(o.tokens, start);
  return {
    tokens: [...o.tokens.slice(0, at), ...lexed.tokens, ...rest],
    comments,
    entries: [...o.entries.slice(0, topAt), ...block.entries, ...later],
    tops: [...o.tops.slice(0, topsAt), ...block.tops, ...o.tops.slice(topsAt + 1)],
  };
}
