/** @module rule-support: what the HTTP and TCP rule tests share: a rule as a field, a rule's boolean meaning, random rules. */
import fc from 'fast-check';
import { Field } from '../src/reader.js';
import type { RuleExpr } from '../src/rule.js';
import { loadSource } from '../src/source.js';

/** `rule` as the `rule` key of a YAML file. */
export const ruleField = (rule: string): Field => {
  const src = loadSource(`rule: ${JSON.stringify(rule)}\n`, 'r.yml');
  return new Field(src, rule, ['rule']);
};

/** The rule's truth for what `matches` says of each matcher call. */
export function evalRuleExpr(e: RuleExpr, matches: (m: Extract<RuleExpr, { kind: 'matcher' }>) => boolean): boolean {
  switch (e.kind) {
    case 'and':
      return evalRuleExpr(e.left, matches) && evalRuleExpr(e.right, matches);
    case 'or':
      return evalRuleExpr(e.left, matches) || evalRuleExpr(e.right, matches);
    case 'not':
      return !evalRuleExpr(e.expr, matches);
    case 'matcher':
      return matches(e);
  }
}

/** Random rules over `leaf` matcher calls: `!`, `&&` and `||`, with and without parentheses. */
export function ruleArbitrary(leaf: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      tie('e').map((x) => `!${x}`),
      fc.tuple(tie('e'), fc.constantFrom('&&', '||'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(tie('e'), fc.constantFrom('&&', '||'), tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
    ),
  })).e;
}
