/** @module cst: reading Chevrotain CST nodes in source order (children are grouped by name, not by position). */
import type { CstNode, IToken } from 'chevrotain';
import { tokenOf } from './grammar.js';
import type { Token } from './token.js';

/** A CST child: a node or a token. */
export type Child = CstNode | IToken;

export function isToken(c: Child): c is IToken {
  return (c as IToken).tokenType !== undefined;
}

const POS = Symbol('pos');
const ORDERED = Symbol('ordered');

/** A CST node with what this module worked out about it kept on it (the builder asks more than once). */
interface Annotated extends CstNode {
  /** The smallest start offset under the node (a token's index in its stream; -1 if inserted by recovery). */
  [POS]?: number;
  [ORDERED]?: readonly Child[];
}

function pos(c: Child): number {
  if (isToken(c)) return c.startOffset;
  const node = c as Annotated;
  let best = node[POS];
  if (best !== undefined) return best;
  best = Infinity;
  const groups = node.children;
  for (const name in groups) {
    const list = groups[name]!;
    for (let i = 0; i < list.length; i++) best = Math.min(best, pos(list[i]!));
  }
  node[POS] = best;
  return best;
}

/**
 * A CST node's children in source order (shared: do not modify). Each group is normally in order already, so
 * the groups are merged; tokens inserted by error recovery (offset -1) can break that, and then they are sorted.
 */
export function ordered(c: CstNode): readonly Child[] {
  const node = c as Annotated;
  const known = node[ORDERED];
  if (known) return known;
  const groups: Child[][] = [];
  let inOrder = true;
  for (const name in node.children) {
    const list = node.children[name]!;
    groups.push(list);
    for (let i = 1; i < list.length && inOrder; i++) inOrder = pos(list[i - 1]!) <= pos(list[i]!);
  }
  let list: readonly Child[];
  if (!inOrder) {
    const all = groups.flat();
    all.sort((a, b) => pos(a) - pos(b));
    list = all;
  } else if (groups.length === 1) list = groups[0]!;
  else list = merge(groups);
  node[ORDERED] = list;
  return list;
}

/** Merges lists each in order (a handful of groups per node) as a stable sort of their concatenation would. */
function merge(groups: Child[][]): Child[] {
  const out: Child[] = [];
  const next = groups.map(() => 0);
  for (;;) {
    let pick = -1;
    let best = Infinity;
    for (let g = 0; g < groups.length; g++) {
      const head = groups[g]![next[g]!];
      if (head === undefined) continue;
      const p = pos(head);
      if (pick < 0 || p < best) {
        best = p;
        pick = g;
      }
    }
    if (pick < 0) return out;
    out.push(groups[pick]![next[pick]!++]!);
  }
}

export function tok(c: Child): Token | undefined {
  return isToken(c) ? tokenOf(c) : undefined;
}

/** The first source token under a child, in order (tokens the grammar made up, like NL, are skipped). */
export function firstToken(c: Child): Token | undefined {
  if (isToken(c)) return tokenOf(c);
  for (const x of ordered(c)) {
    const t = firstToken(x);
    if (t) return t;
  }
  return undefined;
}

/** The last source token under a child, in order. */
export function lastToken(c: Child): Token | undefined {
  if (isToken(c)) return tokenOf(c);
  const list = ordered(c);
  for (let i = list.length - 1; i >= 0; i--) {
    const t = lastToken(list[i]!);
    if (t) return t;
  }
  return undefined;
}
