/** @module request-header: the `request_header` directive (one request header operation; Caddy's `parseReqHdrCaddyfile`). */
import type { Helper } from '../helper.js';
import type { HeadersHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import type { ConfigValue } from '../registry.js';
import { applyHeaderOp, opsJson, type HeaderOps } from './header-ops.js';
import type { ModuleOfKind } from '../module.js';

function parseRequestHeader(h: Helper): ConfigValue[] {
  h.next();
  const matcherSet = h.extractMatcherSet();
  h.next();
  if (!h.nextArg()) throw h.argErr();
  const field = h.val().replace(/:$/, '');
  let value = '';
  let replacement: string | undefined;
  if (h.nextArg()) value = h.val();
  if (h.nextArg()) {
    replacement = h.val();
    if (h.nextArg()) throw h.argErr();
  }
  const ops: HeaderOps = {};
  const err = applyHeaderOp(ops, undefined, field, value, replacement);
  if (err) throw h.err(err);
  return h.newRoute(matcherSet, moduleObject<HeadersHandler>('handler', 'headers', { request: opsJson(ops) }));
}

export const RequestHeaderDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'request_header',
  syntax: 'request_header [<matcher>] [+|-]<field> [<value|find>] [<replace>]',
  doc: 'Sets, adds, replaces or deletes request headers.',
  parse: parseRequestHeader,
};
