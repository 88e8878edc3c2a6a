/** @module options/listener-wrappers: the built-in listener wrappers `tls`, `http_redirect`, `proxy_protocol`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, struct, type JsonObject } from '../json.js';
import { registerListenerWrapper } from '../registry.js';
import { durationArg } from './simple.js';

const POLICIES = ['IGNORE', 'USE', 'REJECT', 'REQUIRE', 'SKIP'];

/** `proxy_protocol { timeout D; allow cidrs...; deny cidrs...; fallback_policy P }`. */
export function parseProxyProtocol(d: Dispenser): JsonObject {
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
  return moduleObject('wrapper', 'proxy_protocol', struct({ timeout, allow, deny, fallback_policy: policy }));
}

/** A wrapper that takes no configuration in the Caddyfile. */
function bare(name: string) {
  return (d: Dispenser): JsonObject => {
    d.next();
    return { wrapper: name };
  };
}

registerListenerWrapper('tls', bare('tls'));
registerListenerWrapper('http_redirect', bare('http_redirect'));
registerListenerWrapper('proxy_protocol', parseProxyProtocol);
