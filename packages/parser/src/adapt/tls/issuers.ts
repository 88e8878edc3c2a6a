/** @module tls/issuers: certificate issuers (`tls.issuance.acme`, `internal`, `zerossl`) and their Caddyfile syntax. */
import type {
  AcmeChallenges,
  AcmeIssuer,
  AdaptedTlsIssuer,
  DnsChallengeConfig,
  InternalIssuer as InternalIssuerJson,
  MockDnsProvider,
  ZeroSslIssuer,
} from '@proxy/contract';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { durationArg } from '../options/simple.js';
import { parsePreferredChains } from './preferred-chains.js';
import type { ModuleOfKind, Subdirective } from '../module.js';
import { moduleOf } from './fields.js';
import { unmarshalTyped } from './modules.js';

/** An issuer value: its module name and JSON fields (as Caddy's Issuer structs before encoding). */
export type Issuer = AdaptedTlsIssuer;

/** The ZeroSSL ACME endpoint used by `DefaultIssuers` when an email is known. */
export const ZEROSSL_PRODUCTION_CA = 'https://acme.zerossl.com/v2/DV90';

/** The issuer as JSON (a module object: all keys sorted). */
export function issuerJSON(iss: Issuer): Issuer {
  const { module, ...rest } = iss;
  return moduleOf<Issuer>('module', module, rest);
}

/** Whether an issuer is ACME-capable (acme; zerossl is API-based in current Caddy). */
export function isACME(iss: Issuer): iss is AcmeIssuer {
  return iss.module === 'acme';
}

/** Caddy's `DefaultIssuers(email)`: Let's Encrypt, plus ZeroSSL's ACME endpoint when an email is set. */
export function defaultIssuers(email: string | undefined): AcmeIssuer[] {
  const out: AcmeIssuer[] = [{ module: 'acme' }];
  if (email && email.trim() !== '') out.push({ module: 'acme', ca: ZEROSSL_PRODUCTION_CA, email });
  return out;
}

/** An ACME issuer's fields, built up by the Caddyfile parsers. */
export type AcmeFields = Omit<AcmeIssuer, 'module'>;

/** The `challenges.dns` object of an issuer, created if needed. */
export function dnsChallenge(iss: AcmeFields): DnsChallengeConfig {
  return ((iss.challenges ??= {}).dns ??= {});
}

function challenge(iss: AcmeFields, name: 'http' | 'tls-alpn'): NonNullable<AcmeChallenges['http']> {
  return ((iss.challenges ??= {})[name] ??= {});
}

/** The issuer `tls.issuance.<name>` at the cursor (the lookup vouches for `name`). */
export function issuerOf(d: Dispenser, name: string): Issuer {
  return { module: name, ...unmarshalTyped(d, 'tls-issuer', `tls.issuance.${name}`) } as Issuer;
}

/** A DNS provider module object from `dns.providers.<name>` at the cursor. */
export function dnsProvider(d: Dispenser, name: string): MockDnsProvider {
  return moduleOf<MockDnsProvider>('name', name, unmarshalTyped(d, 'dns-provider', `dns.providers.${name}`));
}

function one(d: Dispenser): string {
  const a = d.allArgs(1);
  if (!a) throw d.argErr();
  return a[0]!;
}

/** `acme [dir] { ... }` (Caddy's `ACMEIssuer.UnmarshalCaddyfile`). */
export function parseACMEIssuer(d: Dispenser): AcmeFields {
  const iss: AcmeFields = {};
  d.next();
  if (d.nextArg()) {
    iss.ca = d.val();
    if (d.nextArg()) throw d.argErr();
  }
  for (const n = d.nesting(); d.nextBlock(n); ) {
    const sub = d.val();
    switch (sub) {
      case 'lifetime': {
        const v = one(d);
        const dur = durationArg(d, v, `invalid lifetime ${v}`);
        if (dur < 0) throw d.err(`lifetime must be >= 0: ${v}`);
        iss.certificate_lifetime = dur;
        break;
      }
      case 'dir':
        if (iss.ca) throw d.err(`directory is already specified: ${iss.ca}`);
        iss.ca = one(d);
        break;
      case 'test_dir':
        iss.test_ca = one(d);
        break;
      case 'email':
        iss.email = one(d);
        break;
      case 'profile':
        iss.profile = one(d);
        break;
      case 'timeout': {
        const v = one(d);
        iss.acme_timeout = durationArg(d, v, `invalid timeout duration ${v}`);
        break;
      }
      case 'disable_http_challenge':
        if (d.nextArg()) throw d.argErr();
        challenge(iss, 'http').disabled = true;
        break;
      case 'disable_tlsalpn_challenge':
        if (d.nextArg()) throw d.argErr();
        challenge(iss, 'tls-alpn').disabled = true;
        break;
      case 'alt_http_port':
      case 'alt_tlsalpn_port': {
        if (!d.nextArg()) throw d.argErr();
        const p = d.val();
        if (!/^[+-]?\d+$/.test(p)) throw d.err(`invalid port ${p}: strconv.Atoi: parsing "${p}": invalid syntax`);
        challenge(iss, sub === 'alt_http_port' ? 'http' : 'tls-alpn').alternate_port = Number(p);
        break;
      }
      case 'eab': {
        const a = d.allArgs(2);
        if (!a) throw d.argErr();
        iss.external_account = { key_id: a[0]!, mac_key: a[1]! };
        break;
      }
      case 'trusted_roots':
        iss.trusted_roots_pem_files = d.remainingArgs();
        break;
      case 'dns': {
        const dns = dnsChallenge(iss);
        if (d.nextArg()) {
          dns.provider = dnsProvider(d, d.val());
        }
        break;
      }
      case 'propagation_delay': {
        const v = one(d);
        dnsChallenge(iss).propagation_delay = durationArg(d, v, `invalid propagation_delay duration ${v}`);
        break;
      }
      case 'propagation_timeout': {
        const v = one(d);
        dnsChallenge(iss).propagation_timeout =
          v === '-1' ? -1 : durationArg(d, v, `invalid propagation_timeout duration ${v}`);
        break;
      }
      case 'resolvers': {
        const r = d.remainingArgs();
        if (r.length === 0) throw d.argErr();
        dnsChallenge(iss).resolvers = r;
        break;
      }
      case 'dns_ttl': {
        const v = one(d);
        dnsChallenge(iss).ttl = durationArg(d, v, `invalid dns_ttl duration ${v}`);
        break;
      }
      case 'dns_challenge_override_domain': {
        const a = d.remainingArgs();
        if (a.length !== 1) throw d.argErr();
        dnsChallenge(iss).override_domain = a[0]!;
        break;
      }
      case 'preferred_chains':
        iss.preferred_chains = parsePreferredChains(d);
        break;
      // Current Caddy (2.11): turns off solving challenges through the storage shared with other instances.
      case 'distributed':
        if (one(d) !== 'false') throw d.err("only accepted value is 'false'");
        (iss.challenges ??= {}).distributed = false;
        break;
      default:
        throw d.err(`unrecognized ACME issuer property: ${sub}`);
    }
  }
  return iss;
}

/** `internal { ca ID; lifetime D; sign_with_root }`. */
export function parseInternalIssuer(d: Dispenser): Omit<InternalIssuerJson, 'module'> {
  const iss: Omit<InternalIssuerJson, 'module'> = {};
  d.next();
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'ca':
        iss.ca = one(d);
        break;
      case 'lifetime':
        if (!d.nextArg()) throw d.argErr();
        iss.lifetime = durationArg(d, d.val());
        break;
      case 'sign_with_root':
        if (d.nextArg()) throw d.argErr();
        iss.sign_with_root = true;
        break;
      default:
        throw d.err(`unrecognized subdirective '${d.val()}'`);
    }
  }
  return iss;
}

/** `zerossl <api_key> { validity_days N; alt_http_port N; dns ...; ... }`. */
export function parseZeroSSLIssuer(d: Dispenser): Omit<ZeroSslIssuer, 'module'> {
  const iss: Omit<ZeroSslIssuer, 'module'> = {};
  d.next();
  if (!d.nextArg()) throw d.argErr();
  iss.api_key = d.val();
  if (d.nextArg()) throw d.argErr();
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'validity_days': {
        if (iss.validity_days) throw d.err('validity days is already specified');
        const v = one(d);
        if (!/^\d+$/.test(v)) throw d.err(`invalid number of days ${v}: strconv.Atoi: parsing "${v}": invalid syntax`);
        iss.validity_days = Number(v);
        break;
      }
      case 'alt_http_port': {
        const v = one(d);
        if (!/^\d+$/.test(v)) throw d.err(`invalid port ${v}: strconv.Atoi: parsing "${v}": invalid syntax`);
        iss.alt_http_port = Number(v);
        break;
      }
      case 'dns': {
        if (!d.nextArg()) throw d.argErr();
        const dns = iss.dns ?? {};
        dns.provider = dnsProvider(d, d.val());
        iss.dns = dns;
        break;
      }
      // Current Caddy's DNS challenge options of the zerossl issuer, as the acme issuer's.
      case 'propagation_delay': {
        const v = one(d);
        (iss.dns ??= {}).propagation_delay = durationArg(d, v, `invalid propagation_delay duration ${v}`);
        break;
      }
      case 'propagation_timeout': {
        const v = one(d);
        (iss.dns ??= {}).propagation_timeout =
          v === '-1' ? -1 : durationArg(d, v, `invalid propagation_timeout duration ${v}`);
        break;
      }
      case 'resolvers': {
        const r = d.remainingArgs();
        if (r.length === 0) throw d.argErr();
        (iss.dns ??= {}).resolvers = r;
        break;
      }
      case 'dns_ttl': {
        const v = one(d);
        (iss.dns ??= {}).ttl = durationArg(d, v, `invalid dns_ttl duration ${v}`);
        break;
      }
      default:
        throw d.err(`unrecognized subdirective: ${d.val()}`);
    }
  }
  return iss;
}

/** The DNS challenge subdirectives of the acme and zerossl issuers. */
const DNS_CHALLENGE: readonly Subdirective[] = [
  { name: 'dns', syntax: 'dns <provider> [...]', doc: 'Solves the DNS challenge with this DNS provider.' },
  {
    name: 'propagation_delay',
    syntax: 'propagation_delay <duration>',
    doc: 'How long to wait before checking DNS propagation.',
  },
  {
    name: 'propagation_timeout',
    syntax: 'propagation_timeout <duration|-1>',
    doc: 'How long to wait for DNS propagation (-1: do not check).',
  },
  { name: 'resolvers', syntax: 'resolvers <addrs...>', doc: 'DNS resolvers for the DNS challenge.' },
  { name: 'dns_ttl', syntax: 'dns_ttl <duration>', doc: 'The TTL of the challenge TXT record.' },
];

export const ACMEIssuer: ModuleOfKind<'tls-issuer'> = {
  kind: 'tls-issuer',
  name: 'acme',
  syntax:
    'acme [<dir_url>] { dir; test_dir; email; timeout; disable_*_challenge; alt_*_port; eab; trusted_roots; dns...; preferred_chains }',
  doc: "Gets certificates from an ACME CA (Let's Encrypt by default).",
  subdirectives: [
    { name: 'dir', syntax: 'dir <url>', doc: 'The ACME directory URL.' },
    { name: 'test_dir', syntax: 'test_dir <url>', doc: 'The ACME directory to try first (staging).' },
    { name: 'email', syntax: 'email <addr>', doc: 'The ACME account email.' },
    { name: 'profile', syntax: 'profile <name>', doc: 'The ACME certificate profile.' },
    { name: 'timeout', syntax: 'timeout <duration>', doc: 'How long to wait for ACME operations.' },
    { name: 'lifetime', syntax: 'lifetime <duration>', doc: 'The requested certificate lifetime.' },
    { name: 'disable_http_challenge', syntax: 'disable_http_challenge', doc: 'Turns off the HTTP-01 challenge.' },
    {
      name: 'disable_tlsalpn_challenge',
      syntax: 'disable_tlsalpn_challenge',
      doc: 'Turns off the TLS-ALPN-01 challenge.',
    },
    { name: 'alt_http_port', syntax: 'alt_http_port <int>', doc: 'Another port for the HTTP-01 challenge.' },
    { name: 'alt_tlsalpn_port', syntax: 'alt_tlsalpn_port <int>', doc: 'Another port for the TLS-ALPN-01 challenge.' },
    { name: 'eab', syntax: 'eab <key_id> <mac_key>', doc: 'External account binding.' },
    {
      name: 'trusted_roots',
      syntax: 'trusted_roots <pem_files...>',
      doc: 'Root certificates to trust for the ACME server.',
    },
    ...DNS_CHALLENGE,
    {
      name: 'dns_challenge_override_domain',
      syntax: 'dns_challenge_override_domain <domain>',
      doc: 'Delegates the challenge to another domain.',
    },
    {
      name: 'preferred_chains',
      syntax: 'preferred_chains smallest | { root_common_name <names...>; any_common_name <names...> }',
      doc: 'Which certificate chain to prefer.',
    },
    {
      name: 'distributed',
      syntax: 'distributed false',
      doc: 'Turns off solving challenges through storage shared with other instances.',
    },
  ],
  parse: parseACMEIssuer,
};

export const InternalIssuer: ModuleOfKind<'tls-issuer'> = {
  kind: 'tls-issuer',
  name: 'internal',
  syntax: 'internal { ca <id>; lifetime <duration>; sign_with_root }',
  doc: 'Issues certificates from a local CA of the pki app.',
  subdirectives: [
    { name: 'ca', syntax: 'ca <id>', doc: 'The CA to sign with (default local).' },
    { name: 'lifetime', syntax: 'lifetime <duration>', doc: 'The certificate lifetime.' },
    { name: 'sign_with_root', syntax: 'sign_with_root', doc: 'Signs with the root instead of the intermediate.' },
  ],
  parse: parseInternalIssuer,
};

export const ZeroSSLIssuer: ModuleOfKind<'tls-issuer'> = {
  kind: 'tls-issuer',
  name: 'zerossl',
  syntax: 'zerossl <api_key> { validity_days <int>; alt_http_port <int>; dns <provider> [...]; ... }',
  doc: "Gets certificates from ZeroSSL's API.",
  subdirectives: [
    { name: 'validity_days', syntax: 'validity_days <int>', doc: 'The certificate validity in days.' },
    { name: 'alt_http_port', syntax: 'alt_http_port <int>', doc: 'Another port for the HTTP validation.' },
    ...DNS_CHALLENGE,
  ],
  parse: parseZeroSSLIssuer,
};
