/** @module matchers/maps: the map-valued matchers `query`, `header`, `vars`. */
import { sortedMap } from '../json.js';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { MatcherValue } from './registry.js';
import { canonicalHeaderKey } from './header-key.js';
import type { ModuleOfKind } from '../module.js';

/** `query k=v ...` → {k: [v...]} (keys sorted). */
export function parseQuery(d: Dispenser): MatcherValue<'query'> {
  const m = new Map<string, string[]>();
  while (d.next()) {
    for (const q of d.remainingArgs()) {
      if (q === '') continue;
      const eq = q.indexOf('=');
      if (eq < 0) throw d.err(`malformed query matcher token: ${d.val()}; must be in param=val format`);
      const k = q.slice(0, eq);
      m.set(k, [...(m.get(k) ?? []), q.slice(eq + 1)]);
    }
    if (d.nextBlock(0)) throw d.err('malformed query matcher: blocks are not supported');
  }
  return sortedMap(m);
}

/** `header Field value` / `header !Field` → {Field: [values] | null} (canonical field names, sorted). */
export function parseHeader(d: Dispenser): MatcherValue<'header'> {
  const m = new Map<string, string[] | null>();
  while (d.next()) {
    const a = d.args(1);
    if (!a) throw d.err('malformed header matcher: expected field');
    let field = a[0]!;
    if (field.startsWith('!')) {
      if (field.length === 1) throw d.err('malformed header matcher: must have field name following ! character');
      field = field.slice(1);
      m.set(field, null);
      if (d.nextArg()) throw d.err('malformed header matcher: null matching headers cannot have a field value');
    } else {
      if (!d.nextArg()) throw d.err('malformed header matcher: expected both field and value');
      const key = canonicalHeaderKey(field);
      m.set(key, [...(m.get(key) ?? []), d.val()]);
    }
    if (d.nextBlock(0)) throw d.err('malformed header matcher: blocks are not supported');
  }
  return sortedMap(m);
}

/** `vars name value...` → {name: [values]}. */
export function parseVars(d: Dispenser): MatcherValue<'vars'> {
  const m = new Map<string, string[]>();
  while (d.next()) {
    const a = d.args(1);
    if (!a) throw d.err('malformed vars matcher: expected field name');
    const vals = d.remainingArgs();
    if (vals.length === 0) throw d.err('malformed vars matcher: expected at least one value to match against');
    m.set(a[0]!, [...(m.get(a[0]!) ?? []), ...vals]);
    if (d.nextBlock(0)) throw d.err('malformed vars matcher: blocks are not supported');
  }
  return sortedMap(m);
}

export const QueryMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'query',
  syntax: 'query <key>=<value>...',
  doc: 'Matches query string parameters (* matches any value).',
  parse: parseQuery,
};

export const HeaderMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'header',
  syntax: 'header <field> [<value>] | header !<field>',
  doc: 'Matches a request header value (with * wildcards), or its absence with !field.',
  parse: parseHeader,
};

export const VarsMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'vars',
  syntax: 'vars <name|{placeholder}> <values...>',
  doc: 'Matches a request variable or placeholder against values.',
  parse: parseVars,
};
