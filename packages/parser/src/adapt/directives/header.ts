/** @module header: the `header` directive (response header manipulation; Caddy's headers `parseCaddyfile`). */
import type { Helper } from '../helper.js';
import type { HeadersHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import type { ConfigValue } from '../registry.js';
import { applyHeaderOp, isEmptyOps, opsJson, type ResponseMatcherJson, type RespHeaderOps } from './header-ops.js';
import { parseNamedResponseMatcher } from './response-matcher.js';
import type { ModuleOfKind } from '../module.js';

function parseHeader(h: Helper): ConfigValue[] {
  h.next();
  const matcherSet = h.extractMatcherSet();
  h.next();
  // Operations on fields with a `?` prefix go into a second handler, which carries the `require` matcher.
  const handler: RespHeaderOps = {};
  const withRequire: RespHeaderOps = {};
  let hasArgs = false;
  if (h.nextArg()) {
    hasArgs = true;
    const field = h.val();
    const value = h.nextArg() ? h.val() : '';
    const replacement = h.nextArg() ? h.val() : undefined;
    const err = applyHeaderOp(handler, handler, field, value, replacement);
    if (err) throw h.err(err);
    if (handler.delete && handler.delete.length > 0) handler.deferred = true;
  }
  while (h.nextBlock(0)) {
    let field = h.val();
    if (field === 'defer') {
      handler.deferred = true;
      continue;
    }
    if (field === 'match') {
      const matchers = new Map<string, ResponseMatcherJson>();
      parseNamedResponseMatcher(h.newFromNextSegment(), matchers);
      handler.require = matchers.get('match');
      continue;
    }
    if (hasArgs) throw h.err('cannot specify headers in both arguments and block');
    field = field.replace(/:$/, '');
    const value = h.nextArg() ? h.val() : '';
    const replacement = h.nextArg() ? h.val() : undefined;
    const target = field.startsWith('?') ? withRequire : handler;
    const err = applyHeaderOp(target, target, field, value, replacement);
    if (err) throw h.err(err);
  }
  const out: ConfigValue[] = [];
  for (const ops of [handler, withRequire]) {
    if (!isEmptyOps(ops))
      out.push(
        ...h.newRoute(matcherSet, moduleObject<HeadersHandler>('handler', 'headers', { response: opsJson(ops) })),
      );
  }
  return out;
}

export const HeaderDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'header',
  syntax: 'header [<matcher>] [[+|-|?|>]<field> [<value>|<find>] [<replace>]] { defer; match { }; <field> <value>... }',
  doc: 'Sets, adds, replaces or deletes response headers.',
  subdirectives: [
    { name: 'defer', syntax: 'defer', doc: 'Applies the changes when the response is written.' },
    {
      name: 'match',
      syntax: 'match { status <codes...>; header <field> <value> }',
      doc: 'Only changes responses that match.',
    },
  ],
  parse: parseHeader,
};
