/**
 * @module rule-lower: the boolean lowering both router kinds share. A parsed rule becomes a list of matcher sets
 * (alternatives; a set's keys all have to match): `||` concatenates the lists, `!` wraps one in `not`, `&&`
 * distributes (every pair of alternatives merged) unless that would make too many, then `a && b` is `!(!a || !b)`.
 * What a matcher becomes, how two sets merge and which alternatives fold into one are the protocol's.
 */
import type { RuleExpr } from './rule.js';

export type RuleMatcher = Extract<RuleExpr, { kind: 'matcher' }>;

/** The protocol's parts of the lowering, over its matcher set type `S`. */
export interface MatcherSetOps<S> {
  /** One matcher call as a set. */
  leaf(m: RuleMatcher): S;
  /** Both sets at once. */
  merge(a: S, b: S): S;
  /** The alternatives, with those that differ only in one list folded into one. */
  simplifyOr(sets: S[]): S[];
}

/** At most this many alternatives from distributing `&&` over `||`; beyond, `a && b` is `!(!a || !b)`. */
const MAX_PRODUCT = 16;

/** The rule as matcher sets (alternatives). */
export function lowerRuleExpr<S extends { not?: S[] }>(e: RuleExpr, ops: MatcherSetOps<S>): S[] {
  switch (e.kind) {
    case 'matcher':
      return [ops.leaf(e)];
    case 'not':
      return [{ not: lowerRuleExpr(e.expr, ops) } as S];
    case 'or':
      return ops.simplifyOr([...lowerRuleExpr(e.left, ops), ...lowerRuleExpr(e.right, ops)]);
    case 'and': {
      const a = lowerRuleExpr(e.left, ops);
      const b = lowerRuleExpr(e.right, ops);
      if (a.length * b.length > MAX_PRODUCT) return [{ not: [{ not: a } as S, { not: b } as S] } as S];
      return ops.simplifyOr(a.flatMap((x) => b.map((y) => ops.merge(x, y))));
    }
  }
}

/** `a` followed by what of `b` it lacks. */
export function union(a: string[], b: string[]): string[] {
  return [...a, ...b.filter((x) => !a.includes(x))];
}
