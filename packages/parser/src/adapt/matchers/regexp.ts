/** @module matchers/regexp: `path_regexp`, `header_regexp`, `vars_regexp` ({name, pattern}). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { MatchRegexp } from '@proxy/contract';
import { sortedMap, struct } from '../json.js';
import type { MatcherContext, MatcherParserOf, MatcherValue } from './registry.js';
import type { ModuleOfKind } from '../module.js';

/** A `MatchRegexp` value in struct order. */
export function regexpValue(name: string, pattern: string): MatchRegexp {
  return struct<MatchRegexp>({ name, pattern }, ['pattern']);
}

/** `path_regexp [name] pattern`. */
export function parsePathRegexp(d: Dispenser, ctx: MatcherContext): MatchRegexp {
  let name = '';
  let pattern = '';
  while (d.next()) {
    if (pattern !== '') throw d.err('regular expressions can only be used once per named matcher');
    const args = d.remainingArgs();
    if (args.length === 1) pattern = args[0]!;
    else if (args.length === 2) [name, pattern] = [args[0]!, args[1]!];
    else throw d.argErr();
    if (name === '') name = ctx.matcherName;
    if (d.nextBlock(0)) throw d.err('malformed path_regexp matcher: blocks are not supported');
  }
  return regexpValue(name, pattern);
}

function fieldRegexp(kind: 'header_regexp' | 'vars_regexp', what: string): MatcherParserOf<typeof kind> {
  return (d: Dispenser, ctx: MatcherContext): MatcherValue<typeof kind> => {
    const m = new Map<string, MatchRegexp>();
    while (d.next()) {
      const two = d.args(2);
      if (!two) throw d.argErr();
      const third = d.args(1);
      const [name, field, val] = third ? [two[0]!, two[1]!, third[0]!] : ['', two[0]!, two[1]!];
      if (m.has(field))
        throw d.err(`${kind} matcher can only be used once per named matcher, per ${what} field: ${field}`);
      m.set(field, regexpValue(name || ctx.matcherName, val));
      if (d.nextBlock(0)) throw d.err(`malformed ${kind} matcher: blocks are not supported`);
    }
    return sortedMap(m);
  };
}

/** `header_regexp [name] Field pattern`. */
export const parseHeaderRegexp = fieldRegexp('header_regexp', 'header');
/** `vars_regexp [name] var pattern`. */
export const parseVarsRegexp = fieldRegexp('vars_regexp', 'vars');

export const PathRegexpMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'path_regexp',
  syntax: 'path_regexp [<name>] <regexp>',
  doc: 'Matches the request path by a regular expression; captures become {re.name.N} placeholders.',
  parse: parsePathRegexp,
};

export const HeaderRegexpMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'header_regexp',
  syntax: 'header_regexp [<name>] <field> <regexp>',
  doc: 'Matches a request header by a regular expression; captures become placeholders.',
  parse: parseHeaderRegexp,
};

export const VarsRegexpMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'vars_regexp',
  syntax: 'vars_regexp [<name>] <var|{placeholder}> <regexp>',
  doc: 'Matches a variable or placeholder by a regular expression; captures become placeholders.',
  parse: parseVarsRegexp,
};
