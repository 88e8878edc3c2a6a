/**
 * @module options/module-options: the global options that load guest modules (storage, DNS providers, issuers,
 * on-demand permission) or set ACME details.
 */
import type { ModuleOfKind } from '../module.js';
import {
  parseOptACMEEAB,
  parseOptCertIssuer,
  parseOptDNS,
  parseOptOnDemand,
  parseOptPreferredChains,
  parseOptStorage,
} from './modules.js';

export const StorageOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'storage',
  syntax: 'storage <module> [...]',
  doc: 'Where certificates and other assets are stored (file_system <root>, or postgres { ... } for a fleet).',
  parse: parseOptStorage,
};

export const AcmeDnsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'acme_dns',
  syntax: 'acme_dns [<provider> [...]]',
  doc: 'Solves ACME DNS challenges with this DNS provider for all sites.',
  parse: parseOptDNS,
};

export const AcmeEabOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'acme_eab',
  syntax: 'acme_eab { key_id <id>; mac_key <key> }',
  doc: 'External account binding for the ACME CA.',
  subdirectives: [
    { name: 'key_id', syntax: 'key_id <id>', doc: 'The EAB key ID.' },
    { name: 'mac_key', syntax: 'mac_key <key>', doc: 'The EAB MAC key.' },
  ],
  parse: parseOptACMEEAB,
};

export const CertIssuerOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'cert_issuer',
  syntax: 'cert_issuer <acme|zerossl|internal> [...]',
  doc: 'A certificate issuer for all sites (repeatable; tried in order).',
  parse: parseOptCertIssuer,
};

export const OnDemandTlsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'on_demand_tls',
  syntax: 'on_demand_tls { ask <url> | permission <module> [...] }',
  doc: 'Configures on-demand TLS: which names may get a certificate at handshake time.',
  subdirectives: [
    { name: 'ask', syntax: 'ask <url>', doc: 'An endpoint that must answer 200 for a name to get a certificate.' },
    { name: 'permission', syntax: 'permission <module> [...]', doc: 'A permission module (http <endpoint>).' },
  ],
  parse: parseOptOnDemand,
};

export const PreferredChainsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'preferred_chains',
  syntax: 'preferred_chains smallest | { root_common_name <names...>; any_common_name <names...> }',
  doc: 'Which ACME certificate chain to prefer.',
  subdirectives: [
    {
      name: 'root_common_name',
      syntax: 'root_common_name <names...>',
      doc: 'Prefers chains with a root of this common name.',
    },
    {
      name: 'any_common_name',
      syntax: 'any_common_name <names...>',
      doc: 'Prefers chains with any certificate of this common name.',
    },
  ],
  parse: parseOptPreferredChains,
};

export const DnsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'dns',
  syntax: 'dns <provider> [...]',
  doc: 'The default DNS provider, for ACME DNS challenges and ECH.',
  parse: parseOptDNS,
};
