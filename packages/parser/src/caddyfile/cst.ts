/** @module cst: reading Chevrotain CST nodes in source order (children are grouped by name, not by position). */
import type { CstNode, IToken } from 'chevrotain';
import { tokenOf } from './grammar.js';
import type { Token } from './token.js';

/** A CST child: a node or a token. */
export type Child = CstNode | IToken;

export function isToken(c: Child): c is IToken {
  return (c as IToken).tokenType !== undefined;
}

/** Start offsets of CST subtrees already computed. */
const positions = new WeakMap<CstNode, number>();

function pos(c: Child): number {
  if (isToken(c)) return c.startOffset;
  // Every level orders its children by position: remember subtree positions instead of walking them again.
  let best = positions.get(c);
  if (best !== undefined) return best;
  best = Infinity;
  for (const list of Object.values(c.children)) for (const x of list) best = Math.min(best, pos(x));
  positions.set(c, best);
  return best;
}

/** A CST node's children in source order. */
export function ordered(node: CstNode): Child[] {
  const all: Child[] = [];
  for (const list of Object.values(node.children)) all.push(...list);
  return all.map((c) => [pos(c), c] as const).sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

export function tok(c: Child): Token | undefined {
  return isToken(c) ? tokenOf(c) : undefined;
}
