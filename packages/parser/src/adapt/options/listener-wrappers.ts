/** @module options/listener-wrappers: the built-in listener wrappers `tls`, `http_redirect`, `proxy_protocol`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { HttpRedirectListener, ProxyProtocolListener, TlsListener } from '@proxy/contract';
import { moduleObject, struct } from '../json.js';
import type { ModuleOfKind } from '../module.js';
import { durationArg } from './simple.js';

const POLICIES = ['IGNORE', 'USE', 'REJECT', 'REQUIRE', 'SKIP'];

/** `proxy_protocol { timeout D; allow cidrs...; deny cidrs...; fallback_policy P }`. */
export function parseProxyProtocol(d: Dispenser): ProxyProtocolListener {
  d.next();
  if (d.nextArg()) throw d.argErr();
  let timeout: number | undefined;
  const allow: string[] = [];
  const deny: string[] = [];
  let policy = '';
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'timeout':
        if (!d.nextArg()) throw d.argErr();
        timeout = durationArg(d, d.val(), 'parsing proxy_protocol timeout duration');
        break;
      case 'allow':
        allow.push(...d.remainingArgs());
        break;
      case 'deny':
        deny.push(...d.remainingArgs());
        break;
      case 'fallback_policy': {
        if (!d.nextArg()) throw d.argErr();
        const p = d.val().toUpperCase();
        if (!POLICIES.includes(p)) throw d.err(`invalid fallback_policy: ${d.val()}`);
        policy = p === 'IGNORE' ? '' : p;
        break;
      }
      default:
        throw d.argErr();
    }
  }
  return moduleObject<ProxyProtocolListener>(
    'wrapper',
    'proxy_protocol',
    struct<ProxyProtocolListener>({ timeout, allow, deny, fallback_policy: policy }),
  );
}

/** A wrapper that takes no configuration in the Caddyfile. */
function bare<T extends HttpRedirectListener | TlsListener>(name: T['wrapper']) {
  return (d: Dispenser): Pick<T, 'wrapper'> => {
    d.next();
    return { wrapper: name };
  };
}

export const TLSWrapper: ModuleOfKind<'listener-wrapper'> = {
  kind: 'listener-wrapper',
  name: 'tls',
  syntax: 'tls',
  doc: 'Marks where TLS is terminated among the listener wrappers (no options).',
  parse: bare<TlsListener>('tls'),
};

export const HTTPRedirectWrapper: ModuleOfKind<'listener-wrapper'> = {
  kind: 'listener-wrapper',
  name: 'http_redirect',
  syntax: 'http_redirect',
  doc: 'Redirects plain HTTP requests that arrive on an HTTPS port to HTTPS.',
  parse: bare<HttpRedirectListener>('http_redirect'),
};

export const ProxyProtocolWrapper: ModuleOfKind<'listener-wrapper'> = {
  kind: 'listener-wrapper',
  name: 'proxy_protocol',
  syntax: 'proxy_protocol { timeout <duration>; allow <cidrs...>; deny <cidrs...>; fallback_policy <policy> }',
  doc: 'Reads PROXY protocol headers and takes the client address from them.',
  subdirectives: [
    { name: 'timeout', syntax: 'timeout <duration>', doc: 'How long to wait for the header.' },
    { name: 'allow', syntax: 'allow <cidrs...>', doc: 'Sources whose header is accepted.' },
    { name: 'deny', syntax: 'deny <cidrs...>', doc: 'Sources whose header is rejected.' },
    {
      name: 'fallback_policy',
      syntax: 'fallback_policy USE|IGNORE|REJECT|REQUIRE|SKIP',
      doc: 'What to do with sources neither allowed nor denied.',
    },
  ],
  parse: parseProxyProtocol,
};
