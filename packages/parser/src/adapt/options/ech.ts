/** @module options/ech: `ech <public_names...> { dns <provider> ... }` (Encrypted ClientHello). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { DnsChallengeConfig } from '@proxy/contract';
import { dnsProvider } from '../tls/issuers.js';
import type { ModuleOfKind } from '../module.js';

/** The parsed `ech` option. */
export interface ECHOption {
  publicNames: string[];
  /** One publication per `dns` line: the DNS provider module object. */
  dnsProviders: NonNullable<DnsChallengeConfig['provider']>[];
}

/** Parses `ech`. */
export function parseOptECH(d: Dispenser): unknown {
  d.next();
  const publicNames = d.remainingArgs();
  if (publicNames.length === 0) throw d.argErr();
  const out: ECHOption = { publicNames, dnsProviders: [] };
  for (const n = d.nesting(); d.nextBlock(n); ) {
    if (d.val() !== 'dns') throw d.err(`ech: unrecognized subdirective '${d.val()}'`);
    if (!d.next()) throw d.argErr();
    out.dnsProviders.push(dnsProvider(d, d.val()));
  }
  return out;
}

export const EchOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'ech',
  syntax: 'ech <public_names...> { dns <provider> [...] }',
  doc: 'Turns on Encrypted ClientHello with these public names.',
  subdirectives: [
    { name: 'dns', syntax: 'dns <provider> [...]', doc: 'Publishes ECH configs with this DNS provider.' },
  ],
  parse: parseOptECH,
};
