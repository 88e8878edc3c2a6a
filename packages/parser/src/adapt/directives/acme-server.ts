/**
 * @module acme-server: the `acme_server` directive: an ACME CA endpoint handler, plus a `pki.ca` value naming
 * the CA it uses (`{ id }`) so the PKI app defines it.
 */
import type { Helper } from '../helper.js';
import { caddyDurationNs } from '@proxy/contract';
import { moduleObject, type JsonObject } from '../json.js';
import { registerDirective, type ConfigValue } from '../registry.js';
import { appendField, omitZero } from './common.js';


function ruleSet(h: Helper, what: string): JsonObject {
  const r: JsonObject = {};
  for (const nesting = h.nesting(); h.nextBlock(nesting); ) {
    if (h.countRemainingArgs() === 0) throw h.argErr();
    const sub = h.val();
    if (sub !== 'domains' && sub !== 'ip_ranges') throw h.err(`unrecognized '${what}' subdirective: ${sub}`);
    ((r[sub] ??= []) as string[]).push(...h.remainingArgs());
  }
  return r;
}

function parseAcmeServer(h: Helper): ConfigValue[] {
  h.next();
  const matcherSet = h.extractMatcherSet();
  h.next();
  if (h.nextArg()) throw h.argErr();
  const acme: JsonObject = {};
  const policy = (): JsonObject => (acme.policy ??= {}) as JsonObject;
  let caId: string | undefined;
  while (h.nextBlock(0)) {
    switch (h.val()) {
      case 'ca': {
        const a = h.allArgs(1);
        if (!a) throw h.argErr();
        acme.ca = a[0];
        caId = a[0];
        break;
      }
      case 'lifetime': {
        if (!h.nextArg()) throw h.argErr();
        const v = caddyDurationNs(h.val());
        if (typeof v === 'string') throw h.err(v);
        acme.lifetime = v;
        break;
      }
      case 'resolvers': {
        const r = h.remainingArgs();
        if (r.length === 0) throw h.err('must specify at least one resolver address');
        acme.resolvers = r;
        break;
      }
      case 'challenges': {
        appendField(acme, 'challenges', h.remainingArgs());
        break;
      }
      case 'allow_wildcard_names':
        policy().allow_wildcard_names = true;
        break;
      case 'allow':
        policy().allow = ruleSet(h, 'allow');
        break;
      case 'deny':
        policy().deny = ruleSet(h, 'deny');
        break;
      case 'sign_with_root':
        if (h.nextArg()) throw h.argErr();
        acme.sign_with_root = true;
        break;
      default:
        throw h.err(`unrecognized ACME server directive: ${h.val()}`);
    }
  }
  omitZero(acme, 'ca', 'lifetime');
  const values = h.newRoute(matcherSet, moduleObject('handler', 'acme_server', acme));
  if (caId !== undefined) values.push({ class: 'pki.ca', value: { id: caId } });
  return values;
}

/** Registers `acme_server`. */
export function register(): void {
  registerDirective('acme_server', parseAcmeServer);
}
