/**
 * @module forward-auth: the `forward_auth` directive (Caddy's forwardauth `parseCaddyfile`): a reverse_proxy
 * that asks an auth service with GET and, on 2xx, copies chosen response headers onto the request.
 */
import { Dispenser } from '../../caddyfile/dispenser.js';
import type { Helper } from '../helper.js';
import type { HeadersHandler, ResponseHandler, ReverseProxyHandler, VarsHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import type { Route } from '../core/route.js';
import type { ConfigValue } from '../registry.js';
import { canonicalHeaderKey, compareStrings, route } from './common.js';
import { deleteN } from './php-fastcgi.js';
import { parseReverseProxy, REVERSE_PROXY_SUBDIRECTIVES, type ReverseProxyFields } from './reverse-proxy.js';
import type { ModuleOfKind } from '../module.js';

function parseForwardAuth(h: Helper): ConfigValue[] {
  if (!h.next()) throw h.argErr();
  const userMatcherSet = h.extractMatcherSet();
  const d = new Dispenser([...h.allTokens()], h.file());
  const rewrite: NonNullable<ReverseProxyFields['rewrite']> = { method: 'GET' };
  const handler: ReverseProxyFields = {
    headers: {
      request: { set: { 'X-Forwarded-Method': ['{http.request.method}'], 'X-Forwarded-Uri': ['{http.request.uri}'] } },
    },
    rewrite,
  };
  const headersToCopy = new Map<string, string>();

  while (d.next()) {
    while (d.nextBlock(0)) {
      if (d.nesting() !== 1) continue;
      switch (d.val()) {
        case 'uri':
          if (!d.nextArg()) throw d.argErr();
          if (rewrite.uri !== undefined) throw d.err(`cannot re-declare uri: ${d.val()}`);
          rewrite.uri = d.val();
          deleteN(d, 2);
          break;
        case 'copy_headers': {
          const args = d.remainingArgs();
          let hadBlock = false;
          for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
            hadBlock = true;
            args.push(d.val());
          }
          deleteN(d, args.length + 1);
          if (hadBlock) deleteN(d, 2);
          for (const field of args) {
            if (field.includes('>')) {
              const parts = field.split('>');
              headersToCopy.set(parts[0]!, parts[1]!);
            } else {
              headersToCopy.set(field, field);
            }
          }
          if (headersToCopy.size === 0) throw d.argErr();
          break;
        }
      }
    }
  }
  d.reset();
  if (rewrite.uri === undefined) throw d.err("the 'uri' subdirective is required");

  const routes: Route[] = [{ handle: [moduleObject<VarsHandler>('handler', 'vars', {})] }];
  for (const from of [...headersToCopy.keys()].sort(compareStrings)) {
    const to = canonicalHeaderKey(headersToCopy.get(from)!);
    const placeholder = `{http.reverse_proxy.header.${canonicalHeaderKey(from)}}`;
    routes.push({ handle: [moduleObject<HeadersHandler>('handler', 'headers', { request: { delete: [to] } })] });
    routes.push({
      match: [{ not: [{ vars: { [placeholder]: [''] } }] }],
      handle: [moduleObject<HeadersHandler>('handler', 'headers', { request: { set: { [to]: [placeholder] } } })],
    });
  }
  const good: ResponseHandler = { match: { status_code: [2] }, routes };
  const rp = parseReverseProxy(d, h, { handler, handleResponse: [good] });
  const r = route({
    match: userMatcherSet ? [userMatcherSet] : undefined,
    handle: [moduleObject<ReverseProxyHandler>('handler', 'reverse_proxy', rp)],
  });
  return [{ class: 'route', value: r }];
}

export const ForwardAuthDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'forward_auth',
  syntax:
    'forward_auth [<matcher>] <upstreams...> { uri <uri>; copy_headers <fields...>; <reverse_proxy subdirectives> }',
  doc: 'Asks an authentication service (via reverse_proxy) whether to let the request through.',
  subdirectives: [
    { name: 'uri', syntax: 'uri <uri>', doc: 'The URI of the authentication request.' },
    {
      name: 'copy_headers',
      syntax: 'copy_headers <fields...> | copy_headers { <field>... }',
      doc: 'Headers of a 2xx answer copied into the request (from>to renames).',
    },
    ...REVERSE_PROXY_SUBDIRECTIVES,
  ],
  parse: parseForwardAuth,
};
