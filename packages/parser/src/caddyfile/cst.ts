/** @module cst: reading Chevrotain CST nodes in source order (children are grouped by name, not by position). */
import { NonTerminal, Terminal, type CstNode, type IProduction, type IToken } from 'chevrotain';
import { grammar, tokenOf } from './grammar.js';
import type { Token } from './token.js';

/** A CST child: a node or a token. */
export type Child = CstNode | IToken;

export function isToken(c: Child): c is IToken {
  return (c as IToken).tokenType !== undefined;
}

/**
 * Child orders worked out in advance for trees built with error recovery. Tokens it inserts have offset -1
 * and can stand anywhere in a group; such trees are ordered by each subtree's smallest offset, all at once.
 */
const recovered = new WeakMap<CstNode, readonly Child[]>();

/** Orders a tree the parser had to recover in (see `recovered`); call before `ordered` on any of its nodes. */
export function orderRecoveredTree(root: CstNode): void {
  const positions = new Map<CstNode, number>();
  const pos = (c: Child): number => {
    if (isToken(c)) return c.startOffset;
    let best = positions.get(c);
    if (best !== undefined) return best;
    best = Infinity;
    for (const list of Object.values(c.children)) for (const x of list) best = Math.min(best, pos(x));
    positions.set(c, best);
    return best;
  };
  const visit = (node: CstNode): void => {
    const list: Child[] = [];
    for (const group of Object.values(node.children)) for (const c of group) list.push(c);
    list.sort((a, b) => pos(a) - pos(b));
    recovered.set(node, list);
    for (const c of list) if (!isToken(c)) visit(c);
  };
  visit(root);
}

/**
 * The names a rule's children are grouped under (its tokens' and subrules' names), read from the grammar once:
 * looking them up by name is much cheaper than enumerating a CST node's children object.
 */
const groupNames: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  const collect = (p: IProduction, names: Set<string>): void => {
    if (p instanceof Terminal) names.add(p.label ?? p.terminalType.name);
    else if (p instanceof NonTerminal) names.add(p.label ?? p.nonTerminalName);
    else if ('definition' in p) for (const d of (p as { definition: IProduction[] }).definition) collect(d, names);
  };
  for (const [rule, production] of Object.entries(grammar.getGAstProductions())) {
    const names = new Set<string>();
    collect(production, names);
    out.set(rule, [...names]);
  }
  return out;
})();

/** The non-empty child groups of a node. */
function groupsOf(node: CstNode): Child[][] {
  const out: Child[][] = [];
  const names = groupNames.get(node.name);
  if (!names) {
    for (const list of Object.values(node.children)) out.push(list);
    return out;
  }
  for (const name of names) {
    const list = node.children[name];
    if (list) out.push(list);
  }
  return out;
}

/** `start` of a node without children (an integer, like every offset, to keep the arithmetic unboxed). */
const NOWHERE = 0x3fffffff;

/** Where a child starts: a token's offset, or the smallest among the first children of a node's groups. */
function start(c: Child): number {
  if (isToken(c)) return c.startOffset;
  let best = NOWHERE;
  const names = groupNames.get(c.name);
  if (!names) {
    for (const list of Object.values(c.children)) {
      const s = start(list[0]!);
      if (s < best) best = s;
    }
    return best;
  }
  for (let i = 0; i < names.length; i++) {
    const list = c.children[names[i]!];
    if (list) {
      const s = start(list[0]!);
      if (s < best) best = s;
    }
  }
  return best;
}

/**
 * A CST node's children in source order (may be shared: do not modify). Without error recovery every group
 * is in source order, so one group is the answer and several are merged.
 */
export function ordered(node: CstNode): readonly Child[] {
  const known = recovered.get(node);
  if (known) return known;
  const groups = groupsOf(node);
  if (groups.length === 0) return [];
  if (groups.length === 1) return groups[0]!;
  if (groups.length === 2) return merge2(groups[0]!, groups[1]!);
  return merge(groups);
}

/** Merges two lists each in source order (the usual case: a line's words and its newline or blocks). */
function merge2(a: Child[], b: Child[]): Child[] {
  const out: Child[] = [];
  let i = 0;
  let j = 0;
  let sa = start(a[0]!);
  let sb = start(b[0]!);
  while (i < a.length && j < b.length) {
    if (sb < sa) {
      out.push(b[j++]!);
      if (j < b.length) sb = start(b[j]!);
    } else {
      out.push(a[i++]!);
      if (i < a.length) sa = start(a[i]!);
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** Merges lists each in source order. */
function merge(groups: Child[][]): Child[] {
  const out: Child[] = [];
  const next = groups.map(() => 0);
  const heads = groups.map((g) => start(g[0]!));
  for (;;) {
    let pick = -1;
    for (let g = 0; g < groups.length; g++) {
      if (next[g]! < groups[g]!.length && (pick < 0 || heads[g]! < heads[pick]!)) pick = g;
    }
    if (pick < 0) return out;
    const list = groups[pick]!;
    out.push(list[next[pick]!]!);
    const i = ++next[pick]!;
    if (i < list.length) heads[pick] = start(list[i]!);
  }
}

/** The children of a node in the group `name` (a rule or token type name), in the order `ordered` gives. */
export function named(node: CstNode, name: string): readonly Child[] {
  const known = recovered.get(node);
  if (known) return known.filter((c) => (isToken(c) ? c.tokenType.name : c.name) === name);
  return node.children[name] ?? [];
}

export function tok(c: Child): Token | undefined {
  return isToken(c) ? tokenOf(c) : undefined;
}

/** The first source token under a child, in order (tokens the grammar made up, like NL, are skipped). */
export function firstToken(c: Child): Token | undefined {
  if (isToken(c)) return tokenOf(c);
  // Usually the first child has it: find that child without ordering them all.
  const edge = edgeChild(c, true);
  const quick = edge && firstToken(edge);
  if (quick) return quick;
  for (const x of ordered(c)) {
    const t = firstToken(x);
    if (t) return t;
  }
  return undefined;
}

/** The last source token under a child, in order. */
export function lastToken(c: Child): Token | undefined {
  if (isToken(c)) return tokenOf(c);
  const edge = edgeChild(c, false);
  const quick = edge && lastToken(edge);
  if (quick) return quick;
  const list = ordered(c);
  for (let i = list.length - 1; i >= 0; i--) {
    const t = lastToken(list[i]!);
    if (t) return t;
  }
  return undefined;
}

/** A node's first (or last) child in source order, found from the ends of its groups; none for recovered trees. */
function edgeChild(node: CstNode, first: boolean): Child | undefined {
  if (recovered.has(node)) return undefined;
  let best: Child | undefined;
  let at = 0;
  for (const name of groupNames.get(node.name) ?? Object.keys(node.children)) {
    const list = node.children[name];
    if (!list) continue;
    const c = first ? list[0]! : list[list.length - 1]!;
    const s = start(c);
    if (best === undefined || (first ? s < at : s > at)) {
      best = c;
      at = s;
    }
  }
  return best;
}

/** Whether a node's groups are each in source order (its tree needed no error recovery). */
export function inOrder(node: CstNode): boolean {
  return !recovered.has(node);
}
