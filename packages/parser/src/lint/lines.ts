/** @module lint/lines: a segment's flat tokens as a tree of lines and blocks, for rules that look inside blocks. */
import type { ServerBlock } from '../caddyfile/ast.js';
import { isCloseBrace, isNextOnNewLine, isOpenBrace, type Token } from '../caddyfile/token.js';

/** One line: its words (outside blocks) and the blocks it opens, each a list of lines. */
export interface Line {
  words: Token[];
  blocks: Line[][];
}

/** Reads lines from `tokens[start]` until an unmatched `}` or the end; returns them and where it stopped. */
function readLines(tokens: readonly Token[], start: number): [Line[], number] {
  const lines: Line[] = [];
  let i = start;
  while (i < tokens.length && !isCloseBrace(tokens[i]!)) {
    const line: Line = { words: [], blocks: [] };
    let prev: Token | undefined;
    while (i < tokens.length) {
      const t = tokens[i]!;
      // After a block, the line goes on only if the next token shares a line with its `}`.
      if (isCloseBrace(t) || (prev && isNextOnNewLine(prev, t))) break;
      if (isOpenBrace(t)) {
        const [inner, end] = readLines(tokens, i + 1);
        line.blocks.push(inner);
        prev = tokens[end] ?? t;
        i = end + 1;
        continue;
      }
      line.words.push(t);
      prev = t;
      i++;
    }
    if (line.words.length === 0 && line.blocks.length === 0) i++;
    else lines.push(line);
  }
  return [lines, i];
}

/** The top-level lines of a block (one per segment), their blocks parsed into lines. */
export function blockLines(block: ServerBlock): Line[] {
  const out: Line[] = [];
  for (const seg of block.segments) {
    const tokens = block.isNamedRoute ? seg.tokens.slice(1) : seg.tokens;
    out.push(...readLines(tokens, 0)[0]);
  }
  return out;
}

/** Every line at any depth, parents before children. */
export function* allLines(lines: readonly Line[]): Generator<Line> {
  for (const l of lines) {
    yield l;
    for (const b of l.blocks) yield* allLines(b);
  }
}

/** Every token of the lines, at any depth, in order (braces excluded). */
export function* allWords(lines: readonly Line[]): Generator<Token> {
  for (const l of allLines(lines)) yield* l.words;
}

/** A directive's matcher token (Caddy's `MatcherToken`: `*`, `/path` or `@name` as first argument), if any. */
export function matcherToken(line: Line): Token | undefined {
  // Caddy reads the token's text whether or not it was quoted.
  const arg = line.words[1];
  if (!arg) return undefined;
  return arg.text === '*' || arg.text.startsWith('/') || arg.text.startsWith('@') ? arg : undefined;
}

/** Whether a directive applies to every request: no matcher token, or `*`. */
export function matchesAll(line: Line): boolean {
  return (matcherToken(line)?.text ?? '*') === '*';
}

/** Site blocks: not the global options block (no keys) and not named routes. */
export function siteBlocks(blocks: readonly ServerBlock[]): ServerBlock[] {
  return blocks.filter((b) => b.keys.length > 0 && !b.isNamedRoute);
}

/** The global options block, when the file starts with one. */
export function globalBlock(blocks: readonly ServerBlock[]): ServerBlock | undefined {
  const first = blocks[0];
  return first && first.keys.length === 0 ? first : undefined;
}

/** The global options block's line for an option, when there is one. */
export function globalOption(blocks: readonly ServerBlock[], name: string): Line | undefined {
  const global = globalBlock(blocks);
  return global ? blockLines(global).find((l) => l.words[0]?.text === name) : undefined;
}
