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

/** Children already put in order (the builder asks for a node's children more than once). */
const orderedChildren = new WeakMap<CstNode, readonly Child[]>();

/** A CST node's children in source order (shared: do not modify). */
export function ordered(node: CstNode): readonly Child[] {
  let all = orderedChildren.get(node);
  if (all) return all;
  const list: Child[] = [];
  for (const group of Object.values(node.children)) for (const c of group) list.push(c);
  list.sort((a, b) => pos(a) - pos(b));
  orderedChildren.set(node, list);
  all = list;
  return all;
}

export function tok(c: Child): Token | undefined {
  return isToken(c) ? tokenOf(c) : undefined;
}
