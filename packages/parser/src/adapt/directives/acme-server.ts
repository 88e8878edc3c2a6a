/**
 * @module acme-server: the `acme_server` directive: an ACME CA endpoint handler, plus a `pki.ca` value naming
 * the CA it uses (`{ id }`) so the PKI app defines it.
 */
import type { Helper } from '../helper.js';
import { caddyDurationNs, type AcmeRuleSet, type AcmeServerHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import type { ConfigValue } from '../registry.js';
import { appendField, omitZero } from './common.js';
import type { ModuleOfKind } from '../module.js';

function ruleSet(h: Helper, what: string): AcmeRuleSet {
  const r: AcmeRuleSet = {};
  for (const nesting = h.nesting(); h.nextBlock(nesting); ) {
    if (h.countRemainingArgs() === 0) throw h.argErr();
    const sub = h.val();
    if (sub !== 'domains' && sub !== 'ip_ranges') throw h.err(`unrecognized '${what}' subdirective: ${sub}`);
    (r[sub] ??= []).push(...h.remainingArgs());
  }
  return r;
}

function parseAcmeServer(h: Helper): ConfigValue[] {
  h.next();
  const matcherSet = h.extractMatcherSet();
  h.next();
  if (h.nextArg()) throw h.argErr();
  const acme: StructFields<AcmeServerHandler> = {};
  const policy = (): NonNullable<AcmeServerHandler['policy']> => (acme.policy ??= {});
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
  const values = h.newRoute(matcherSet, moduleObject<AcmeServerHandler>('handler', 'acme_server', acme));
  if (caId !== undefined) values.push({ class: 'pki.ca', value: { id: caId } });
  return values;
}

export const AcmeServerDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'acme_server',
  syntax:
    'acme_server [<matcher>] { ca <id>; lifetime <d>; resolvers <addrs...>; challenges <types...>; allow_wildcard_names; allow { }; deny { }; sign_with_root }',
  doc: 'Serves an ACME server backed by a local CA.',
  subdirectives: [
    { name: 'ca', syntax: 'ca <id>', doc: 'The pki CA to sign with.' },
    { name: 'lifetime', syntax: 'lifetime <duration>', doc: 'The lifetime of issued certificates.' },
    { name: 'resolvers', syntax: 'resolvers <addrs...>', doc: 'DNS resolvers for challenges.' },
    { name: 'challenges', syntax: 'challenges <http-01|dns-01|tls-alpn-01...>', doc: 'The challenge types offered.' },
    { name: 'allow_wildcard_names', syntax: 'allow_wildcard_names', doc: 'Allows wildcard names.' },
    {
      name: 'allow',
      syntax: 'allow { domains <names...>; ip_ranges <cidrs...> }',
      doc: 'Names that may get certificates.',
    },
    { name: 'deny', syntax: 'deny { domains <names...>; ip_ranges <cidrs...> }', doc: 'Names that may not.' },
    { name: 'sign_with_root', syntax: 'sign_with_root', doc: 'Signs with the root instead of the intermediate.' },
  ],
  parse: parseAcmeServer,
};
