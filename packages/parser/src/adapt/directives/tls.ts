/**
 * @module directives/tls: the `tls` directive (Caddy's `parseTLS`): certificate files, issuers (explicit or implied
 * by email/ca/eab/dns...), key type, on-demand, cert managers, and one connection policy.
 */
import type { AcmeChallenges, AcmeIssuer, AdaptedCertGetter, CertKeyFilePair, InternalIssuer } from '@proxy/contract';
import type { Helper } from '../helper.js';
import type { ConfigValue } from '../registry.js';
import type { ConnPolicy } from '../tls/conn-policy.js';
import { moduleOf } from '../tls/fields.js';
import { unmarshalTyped } from '../tls/modules.js';
import {
  defaultIssuers,
  dnsChallenge,
  dnsProvider,
  isACME,
  issuerOf,
  type AcmeFields,
  type Issuer,
} from '../tls/issuers.js';
import { parseClientAuth } from '../tls/client-auth.js';
import { CIPHER_SUITES, CURVES, PROTOCOLS } from '../tls/names.js';
import { durationArg } from '../options/simple.js';
import type { ModuleOfKind } from '../module.js';

/** A `tls.cert_loader` value: the loader module name and its entries. */
export type CertLoaderValue =
  | { module: 'load_files'; entries: CertKeyFilePair[] }
  | { module: 'load_folders'; entries: string[] };

/** Merges the site's implicit ACME settings into the issuers they apply to (Caddy's `implicitACMEIssuers`). */
function implicitACMEIssuers(local: AcmeFields, h: Helper): Issuer[] {
  const global = ((h.option('cert_issuer') as Issuer[] | undefined) ?? []).filter(isACME);
  if (local.ca) return [{ module: 'acme', ...local }];
  const bases = global.length > 0 ? global : defaultIssuers(local.email);
  return bases.map((b) => {
    // Field by field over the fields of an ACME issuer (both sides are one), challenge types one level down.
    const merged: Record<string, unknown> = { ...structuredClone(b) };
    for (const [k, v] of Object.entries(local)) {
      if (k === 'challenges' && merged['challenges']) {
        const mc: Record<string, unknown> = { ...(merged['challenges'] as AcmeChallenges) };
        for (const [ck, cv] of Object.entries(v as AcmeChallenges))
          mc[ck] = { ...((mc[ck] as object | undefined) ?? {}), ...(cv as object) };
        merged['challenges'] = mc;
      } else merged[k] = structuredClone(v);
    }
    if (b.ca !== undefined) merged['ca'] = b.ca;
    return merged as unknown as AcmeIssuer;
  });
}

/** Parses `tls`. */
export function parseTLSDirective(h: Helper): ConfigValue[] {
  h.next();
  const cp: ConnPolicy = {};
  const fileLoader: CertKeyFilePair[] = [];
  const folderLoader: string[] = [];
  const anyTag: string[] = [];
  let acme: AcmeFields | undefined;
  let internal: Omit<InternalIssuer, 'module'> | undefined;
  const issuers: Issuer[] = [];
  const managers: AdaptedCertGetter[] = [];
  let keyType = '';
  let onDemand = false;
  let reuse = false;
  let forceAutomate = false;
  let renewalWindowRatio: number | undefined;
  const dnsOptions: string[] = [];
  let hasDNSProvider = false;

  const first = h.remainingArgs();
  if (first.length === 1) {
    const a = first[0]!;
    if (a === 'internal') internal = {};
    else if (a === 'force_automate') forceAutomate = true;
    else if (!a.includes('@'))
      throw h.err("single argument must either be 'internal', 'force_automate', or an email address");
    else acme = { email: a };
  } else if (first.length === 2) {
    const [cert, key] = [first[0]!, first[1]!];
    let tags = h.state.get('tlsCertTags') as Map<string, string> | undefined;
    if (!tags) h.state.set('tlsCertTags', (tags = new Map()));
    let tag = tags.get(cert);
    if (!tag) {
      tag = `cert${tags.size}`;
      fileLoader.push({ certificate: cert, key, tags: [tag] });
      tags.set(cert, tag);
    }
    anyTag.push(tag);
  } else if (first.length > 2) throw h.argErr();

  const acmeIssuer = (): AcmeFields => (acme ??= {});
  const oneArg = (): string => {
    const a = h.remainingArgs();
    if (a.length !== 1) throw h.argErr();
    return a[0]!;
  };
  let hasBlock = false;
  for (const n = h.nesting(); h.nextBlock(n); ) {
    hasBlock = true;
    const sub = h.val();
    switch (sub) {
      case 'protocols': {
        const args = h.remainingArgs();
        if (args.length === 0) throw h.err('protocols requires one or two arguments');
        if (!PROTOCOLS.includes(args[0]!)) throw h.err(`wrong protocol name or protocol not supported: '${args[0]}'`);
        cp.protocol_min = args[0]!;
        if (args.length > 1) {
          if (!PROTOCOLS.includes(args[1]!)) throw h.err(`wrong protocol name or protocol not supported: '${args[1]}'`);
          cp.protocol_max = args[1]!;
        }
        break;
      }
      case 'ciphers':
        while (h.nextArg()) {
          if (!CIPHER_SUITES.includes(h.val()))
            throw h.err(`wrong cipher suite name or cipher suite not supported: '${h.val()}'`);
          (cp.cipher_suites ??= []).push(h.val());
        }
        break;
      case 'curves':
        while (h.nextArg()) {
          if (!CURVES.includes(h.val())) throw h.err(`Wrong curve name or curve not supported: '${h.val()}'`);
          (cp.curves ??= []).push(h.val());
        }
        break;
      case 'client_auth':
        cp.client_authentication = parseClientAuth(h.newFromNextSegment());
        break;
      case 'alpn': {
        const args = h.remainingArgs();
        if (args.length === 0) throw h.argErr();
        cp.alpn = args;
        break;
      }
      case 'load':
        folderLoader.push(...h.remainingArgs());
        break;
      case 'ca':
        acmeIssuer().ca = oneArg();
        break;
      case 'ca_root': {
        const a = h.remainingArgs();
        if (a.length !== 1) throw h.argErr();
        const iss = acmeIssuer();
        iss.trusted_roots_pem_files = [...(iss.trusted_roots_pem_files ?? []), a[0]!];
        break;
      }
      case 'key_type':
        keyType = oneArg();
        break;
      case 'eab': {
        const a = h.remainingArgs();
        if (a.length !== 2) throw h.argErr();
        acmeIssuer().external_account = { key_id: a[0]!, mac_key: a[1]! };
        break;
      }
      case 'issuer': {
        if (!h.nextArg()) throw h.argErr();
        issuers.push(issuerOf(h, h.val()));
        break;
      }
      case 'get_certificate': {
        if (!h.nextArg()) throw h.argErr();
        const name = h.val();
        managers.push(
          moduleOf<AdaptedCertGetter>('via', name, unmarshalTyped(h, 'tls-cert-getter', `tls.get_certificate.${name}`)),
        );
        break;
      }
      case 'dns': {
        const dns = dnsChallenge(acmeIssuer());
        if (!h.nextArg()) {
          // A bare `dns` uses the provider of the global `dns` option.
          if (h.option('dns') == null) throw h.argErr();
          break;
        }
        dns.provider = dnsProvider(h, h.val());
        hasDNSProvider = true;
        break;
      }
      case 'resolvers': {
        const a = h.remainingArgs();
        if (a.length === 0) throw h.argErr();
        dnsChallenge(acmeIssuer()).resolvers = a;
        dnsOptions.push('resolvers');
        break;
      }
      case 'propagation_delay': {
        const v = oneArg();
        dnsChallenge(acmeIssuer()).propagation_delay = durationArg(h, v, `invalid propagation_delay duration ${v}`);
        dnsOptions.push('propagation_delay');
        break;
      }
      case 'propagation_timeout': {
        const v = oneArg();
        dnsChallenge(acmeIssuer()).propagation_timeout =
          v === '-1' ? -1 : durationArg(h, v, `invalid propagation_timeout duration ${v}`);
        dnsOptions.push('propagation_timeout');
        break;
      }
      case 'dns_ttl': {
        const v = oneArg();
        dnsChallenge(acmeIssuer()).ttl = durationArg(h, v, `invalid dns_ttl duration ${v}`);
        dnsOptions.push('dns_ttl');
        break;
      }
      case 'dns_challenge_override_domain':
        dnsChallenge(acmeIssuer()).override_domain = oneArg();
        dnsOptions.push('dns_challenge_override_domain');
        break;
      case 'on_demand':
        if (h.nextArg()) throw h.argErr();
        onDemand = true;
        break;
      case 'reuse_private_keys':
        if (h.nextArg()) throw h.argErr();
        reuse = true;
        break;
      case 'force_automate':
        if (h.nextArg()) throw h.argErr();
        forceAutomate = true;
        break;
      case 'insecure_secrets_log':
        if (!h.nextArg()) throw h.argErr();
        cp.insecure_secrets_log = h.val();
        break;
      case 'renewal_window_ratio': {
        const v = oneArg();
        const r = Number(v);
        if (v.trim() === '' || Number.isNaN(r))
          throw h.err(`parsing renewal_window_ratio: strconv.ParseFloat: parsing "${v}": invalid syntax`);
        if (r <= 0 || r >= 1) throw h.err('renewal_window_ratio must be between 0 and 1 (exclusive)');
        renewalWindowRatio = r;
        break;
      }
      default:
        throw h.err(`unknown subdirective: ${sub}`);
    }
  }
  if (first.length === 0 && !hasBlock) throw h.argErr();

  if (dnsOptions.length > 0 && !hasDNSProvider && h.option('acme_dns') == null && h.option('dns') == null) {
    throw h.err(
      `setting DNS challenge options [${dnsOptions.join(', ')}] requires a DNS provider (set with the 'dns' subdirective or 'acme_dns' global option)`,
    );
  }

  const out: ConfigValue[] = [];
  if (fileLoader.length > 0)
    out.push({
      class: 'tls.cert_loader',
      value: { module: 'load_files', entries: fileLoader } satisfies CertLoaderValue,
    });
  if (folderLoader.length > 0)
    out.push({
      class: 'tls.cert_loader',
      value: { module: 'load_folders', entries: folderLoader } satisfies CertLoaderValue,
    });
  if (issuers.length > 0 && (acme || internal)) {
    throw h.err(
      'cannot mix issuer subdirective (explicit issuers) with other issuer-specific subdirectives (implicit issuers)',
    );
  }
  if (acme && internal) throw h.err('cannot create both ACME and internal certificate issuers');
  if (issuers.length > 0) for (const i of issuers) out.push({ class: 'tls.cert_issuer', value: i });
  else if (acme) for (const i of implicitACMEIssuers(acme, h)) out.push({ class: 'tls.cert_issuer', value: i });
  else if (internal) out.push({ class: 'tls.cert_issuer', value: { module: 'internal', ...internal } });
  if (keyType) out.push({ class: 'tls.key_type', value: keyType });
  if (onDemand) out.push({ class: 'tls.on_demand', value: true });
  for (const m of managers) out.push({ class: 'tls.cert_manager', value: m });
  if (reuse) out.push({ class: 'tls.reuse_private_keys', value: true });
  if (forceAutomate) out.push({ class: 'tls.force_automate', value: true });
  if (renewalWindowRatio !== undefined) out.push({ class: 'tls.renewal_window_ratio', value: renewalWindowRatio });
  if (anyTag.length > 0) cp.certificate_selection = { any_tag: anyTag };
  out.push({ class: 'tls.connection_policy', value: cp });
  return out;
}

export const TlsDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'tls',
  syntax:
    'tls [internal|<email>|<cert_file> <key_file>] { protocols; ciphers; curves; alpn; load; ca; dns; on_demand; client_auth; issuer; ... }',
  doc: "Configures the site's TLS: certificates, issuers and connection policies.",
  subdirectives: [
    { name: 'protocols', syntax: 'protocols <min> [<max>]', doc: 'The TLS versions allowed (tls1.2, tls1.3).' },
    { name: 'ciphers', syntax: 'ciphers <cipher_suites...>', doc: 'The cipher suites allowed (TLS 1.2).' },
    { name: 'curves', syntax: 'curves <curves...>', doc: 'The key exchange curves allowed.' },
    { name: 'alpn', syntax: 'alpn <protocols...>', doc: 'The ALPN protocols offered.' },
    { name: 'load', syntax: 'load <folders...>', doc: 'Loads certificates and keys from folders.' },
    { name: 'ca', syntax: 'ca <directory_url>', doc: 'The ACME CA directory.' },
    { name: 'ca_root', syntax: 'ca_root <pem_file>', doc: 'A root certificate to trust for the ACME CA.' },
    {
      name: 'key_type',
      syntax: 'key_type ed25519|p256|p384|rsa2048|rsa4096',
      doc: 'The key type of new certificates.',
    },
    { name: 'dns', syntax: 'dns [<provider> [...]]', doc: 'Solves ACME DNS challenges with this DNS provider.' },
    {
      name: 'propagation_delay',
      syntax: 'propagation_delay <duration>',
      doc: 'How long to wait before checking DNS propagation.',
    },
    {
      name: 'propagation_timeout',
      syntax: 'propagation_timeout <duration|-1>',
      doc: 'How long to wait for DNS propagation.',
    },
    { name: 'resolvers', syntax: 'resolvers <addrs...>', doc: 'DNS resolvers for ACME DNS challenges.' },
    { name: 'dns_ttl', syntax: 'dns_ttl <duration>', doc: 'The TTL of the challenge TXT record.' },
    {
      name: 'dns_challenge_override_domain',
      syntax: 'dns_challenge_override_domain <domain>',
      doc: 'Delegates the challenge to another domain.',
    },
    { name: 'eab', syntax: 'eab <key_id> <mac_key>', doc: 'ACME external account binding.' },
    {
      name: 'on_demand',
      syntax: 'on_demand',
      doc: 'Gets certificates at handshake time (see the on_demand_tls option).',
    },
    { name: 'reuse_private_keys', syntax: 'reuse_private_keys', doc: 'Keeps the private key when renewing.' },
    {
      name: 'client_auth',
      syntax: 'client_auth { mode; trust_pool; trusted_leaf_cert; trusted_leaf_cert_file; verifier }',
      doc: 'Requires or verifies client certificates.',
    },
    {
      name: 'issuer',
      syntax: 'issuer <acme|zerossl|internal> [...]',
      doc: 'A certificate issuer (repeatable; tried in order).',
    },
    {
      name: 'get_certificate',
      syntax: 'get_certificate <tailscale|http> [...]',
      doc: 'Gets certificates from a certificate manager at handshake time.',
    },
    {
      name: 'insecure_secrets_log',
      syntax: 'insecure_secrets_log <file>',
      doc: 'Writes TLS secrets to a file (debugging only).',
    },
  ],
  parse: parseTLSDirective,
};
