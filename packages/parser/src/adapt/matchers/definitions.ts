/**
 * @module matchers/definitions: named matcher definitions (`@name ...`, Caddy's `parseMatcherDefinitions`), the
 * `not` matcher, and matcher tokens in directives (`*`, `/path`, `@name`).
 */
import { Dispenser } from '../../caddyfile/dispenser.js';
import { isQuoted, type Token } from '../../caddyfile/token.js';
import { AdaptError } from '../core/errors.js';
import type { AdaptedMatcher, AdaptedMatcherSet } from '@proxy/contract';
import { sortedMap, type JsonValue } from '../json.js';
import { matcherModule, type MatcherContext } from './registry.js';
import type { ModuleOfKind } from '../module.js';

/** A matcher set: matcher name → JSON value. */
export type MatcherSet = AdaptedMatcherSet;

/**
 * A matcher set as routes carry it, its matchers in Go's map order. The names are looked up at run time, so
 * only each value's being some matcher's type is checked, not that it is the type of the matcher it is named by.
 */
function asMatcherSet(set: Map<string, AdaptedMatcher>): MatcherSet {
  return sortedMap(set);
}

/** Groups the tokens after a matcher definition's name by matcher type, keeping first-seen order. */
function tokensByMatcherName(d: Dispenser): Map<string, Token[]> {
  const out = new Map<string, Token[]>();
  for (const n = d.nesting(); d.nextArg() || d.nextBlock(n); ) {
    const name = d.val();
    out.set(name, [...(out.get(name) ?? []), ...d.nextSegment()]);
  }
  return out;
}

/** Runs one matcher module over its tokens. */
export function makeMatcher(name: string, tokens: Token[], ctx: MatcherContext): JsonValue {
  return typedMatcher(name, tokens, ctx) as JsonValue;
}

function typedMatcher(name: string, tokens: Token[], ctx: MatcherContext): AdaptedMatcher {
  const parse = matcherModule(name);
  if (!parse)
    throw new AdaptError(`getting matcher module '${name}': module not registered: http.matchers.${name}`, tokens[0]);
  return parse(new Dispenser(tokens), ctx);
}

/**
 * Parses one definition starting at `@name` (the dispenser is before it) into `defs` (Caddy's
 * `parseMatcherDefinitions`).
 */
export function parseMatcherDefinition(d: Dispenser, defs: Map<string, MatcherSet>): void {
  d.next();
  const name = d.val();
  if (defs.has(name)) throw new AdaptError(`matcher is defined more than once: ${name}`, d.token());
  const ctx = { matcherName: name.slice(1) };
  const set = new Map<string, AdaptedMatcher>();
  defs.set(name, {});
  if (d.nextArg()) {
    if (isQuoted(d.token())) {
      const expr: Token = { ...d.token(), text: 'expression', quote: '' };
      set.set('expression', typedMatcher('expression', [expr, d.token()], ctx));
      defs.set(name, asMatcherSet(set));
      return;
    }
    d.prev();
  }
  for (const [mName, tokens] of tokensByMatcherName(d)) set.set(mName, typedMatcher(mName, tokens, ctx));
  defs.set(name, asMatcherSet(set));
}

/**
 * A matcher set from the matchers at the cursor (its arguments or block), with no definition name (Caddy's
 * `ParseCaddyfileNestedMatcherSet`, used by `not`, `lb_retry_match`, `handle_response`...).
 */
export function parseNestedMatcherSet(d: Dispenser): MatcherSet {
  return asMatcherSet(nestedMatcherSet(d));
}

function nestedMatcherSet(d: Dispenser): Map<string, AdaptedMatcher> {
  const set = new Map<string, AdaptedMatcher>();
  for (const [mName, tokens] of tokensByMatcherName(d)) {
    if (!matcherModule(mName))
      throw d.err(`getting matcher module '${mName}': module not registered: http.matchers.${mName}`);
    set.set(mName, typedMatcher(mName, tokens, { matcherName: '' }));
  }
  return set;
}

/** `not { matchers }`: each segment gives one matcher set. */
function parseNot(d: Dispenser): AdaptedMatcherSet[] {
  const sets: AdaptedMatcherSet[] = [];
  while (d.next()) sets.push(sortedMap(nestedMatcherSet(d)));
  return sets;
}

/**
 * A directive's matcher token (Caddy's `matcherSetFromMatcherToken`): `*` → [undefined, true], `/path` →
 * [{path}, true], `@name` → [defined set, true]; anything else → [undefined, false].
 */
export function matcherSetFromToken(
  t: Token,
  defs: ReadonlyMap<string, MatcherSet>,
): [MatcherSet | undefined, boolean] {
  if (t.text === '*') return [undefined, true];
  if (t.text.startsWith('/')) return [{ path: [t.text] }, true];
  if (t.text.startsWith('@')) {
    const m = defs.get(t.text);
    if (!m) throw new AdaptError(`unrecognized matcher name: ${t.text}`, t);
    return [m, true];
  }
  return [undefined, false];
}

export const NotMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'not',
  syntax: 'not <matcher> <args...> | not { <matchers...> }',
  doc: 'Matches requests that the enclosed matcher set (AND-ed) does not match.',
  parse: parseNot,
};
