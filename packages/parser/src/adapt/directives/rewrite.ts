/** @module rewrite: the `rewrite` directive (Caddy's `parseCaddyfileRewrite`): one argument is always the URI, not a matcher. */
import type { Helper } from '../helper.js';
import type { RewriteHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import type { ConfigValue } from '../registry.js';
import type { ModuleOfKind } from '../module.js';

function parseRewrite(h: Helper): ConfigValue[] {
  h.next();
  const count = h.countRemainingArgs();
  if (count === 0) throw h.err('too few arguments; must have at least a rewrite URI');
  if (count > 2) throw h.err('too many arguments; should only be a matcher and a URI');
  if (count === 1) {
    h.nextArg();
    return h.newRoute(undefined, moduleObject<RewriteHandler>('handler', 'rewrite', { uri: h.val() }));
  }
  const matcherSet = h.extractMatcherSet();
  h.next();
  h.next();
  return h.newRoute(matcherSet, moduleObject<RewriteHandler>('handler', 'rewrite', { uri: h.val() }));
}

export const RewriteDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'rewrite',
  syntax: 'rewrite [<matcher>] <to>',
  doc: 'Rewrites the request URI internally.',
  parse: parseRewrite,
};
