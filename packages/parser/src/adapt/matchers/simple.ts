/** @module matchers/simple: the list-valued matchers `path`, `host`, `method`, and `protocol`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { MatcherParserOf, MatcherValue } from './registry.js';
import type { ModuleOfKind } from '../module.js';

function listMatcher(kind: 'path' | 'host' | 'method'): MatcherParserOf<typeof kind> {
  return (d: Dispenser): MatcherValue<typeof kind> => {
    const out: string[] = [];
    while (d.next()) {
      out.push(...d.remainingArgs());
      if (d.nextBlock(0)) throw d.err(`malformed ${kind} matcher: blocks are not supported`);
    }
    return out;
  };
}

/** `path /a /b*` → ["/a", "/b*"]. */
export const parsePath = listMatcher('path');
/** `host a.com b.com`. */
export const parseHost = listMatcher('host');
/** `method GET POST`. */
export const parseMethod = listMatcher('method');

/** `protocol http|https|grpc|http/2...` → a string. */
export function parseProtocol(d: Dispenser): string {
  let proto = '';
  while (d.next()) {
    const args = d.args(1);
    if (!args) throw d.err('expected exactly one protocol');
    proto = args[0]!;
  }
  return proto;
}

export const PathMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'path',
  syntax: 'path <paths...>',
  doc: 'Matches the request path (exact, with * wildcards, case-insensitive).',
  parse: parsePath,
};

export const HostMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'host',
  syntax: 'host <hosts...>',
  doc: 'Matches the Host header (wildcards such as *.example.com allowed).',
  parse: parseHost,
};

export const MethodMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'method',
  syntax: 'method <METHODS...>',
  doc: 'Matches the request method.',
  parse: parseMethod,
};

export const ProtocolMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'protocol',
  syntax: 'protocol http|https|grpc|http/1.0[+]|http/1.1[+]|http/2[+]|http/3[+]',
  doc: 'Matches the request protocol.',
  parse: parseProtocol,
};
