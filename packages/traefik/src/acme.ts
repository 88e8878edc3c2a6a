/**
 * @module acme: Traefik's `certificatesResolvers` (static) and routers' `tls.certResolver` + `tls.domains`
 * (dynamic) as the tls app's automation: one ACME issuer per resolver, one automation policy per resolver naming the
 * domains its routers ask for, and those domains in `certificates.automate`.
 *
 * Both TCP and HTTP routers ask through `routerCertificates`; `addCertificates` writes what they asked for.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AcmeIssuer, AutomationPolicy, Config, StorageConfig } from '@proxy/contract';
import type { Field } from './reader.js';
import type { EntryPoint } from './static.js';

export interface CertResolver {
  name: string;
  issuer: AcmeIssuer;
  /** Caddy's key_type for Traefik's keyType (its default is RSA4096). */
  keyType: NonNullable<AutomationPolicy['key_type']>;
  /** From `certificatesDuration`, when it differs from Caddy's default third. */
  renewalWindowRatio?: number;
}

export interface CertResolvers {
  byName: Map<string, CertResolver>;
  /** The storage every resolver shares (Caddy has one), from their `storage`. */
  storage?: StorageConfig;
  /** Entry points that answer http-01 challenges: they need an HTTP server. */
  httpChallengeEntryPoints: Set<string>;
  warnings: { field: Field; message: string }[];
}

/** What one router asks for. */
export interface CertRequest {
  resolver: string;
  names: string[];
  /** The router's `tls` key, for warnings. */
  field: Field;
}

export const NO_RESOLVERS: CertResolvers = { byName: new Map(), httpChallengeEntryPoints: new Set(), warnings: [] };

const KEY_TYPES: Record<string, CertResolver['keyType'] | undefined> = {
  EC256: 'p256',
  EC384: 'p384',
  RSA2048: 'rsa2048',
  RSA4096: 'rsa4096',
  RSA8192: undefined,
};

/** Traefik keys of an ACME resolver this adapter refuses by name. */
const ACME_UNSUPPORTED = [
  'eab',
  'caSystemCertPool',
  'caServerName',
  'clientTimeout',
  'clientResponseHeaderTimeout',
  'profile',
  'emailAddresses',
  'disableCommonName',
];

export function readCertResolvers(f: Field | undefined, entryPoints: EntryPoint[]): CertResolvers {
  const out: CertResolvers = { byName: new Map(), httpChallengeEntryPoints: new Set(), warnings: [] };
  let storageFrom: { root: string; field: Field } | undefined;
  for (const r of f?.entries() ?? []) {
    const k = r.object(['acme', 'tailscale'], 'a certificate resolver');
    if (k['tailscale']?.present) throw k['tailscale'].error('Tailscale resolvers are not supported by this adapter');
    if (!k['acme']?.present) throw r.error('a certificate resolver needs an acme section');
    const a = k['acme'].object(
      [
        'email',
        'caServer',
        'storage',
        'keyType',
        'certificatesDuration',
        'preferredChain',
        'httpChallenge',
        'tlsChallenge',
        'dnsChallenge',
        'caCertificates',
        ...ACME_UNSUPPORTED,
      ],
      'acme',
    );
    for (const key of ACME_UNSUPPORTED) {
      if (a[key]?.present) throw a[key].error(`acme.${key} is not supported by this adapter`);
    }
    if (a['dnsChallenge']?.present)
      throw a['dnsChallenge'].error('dnsChallenge is not supported: the runtime has no DNS providers');
    const issuer: AcmeIssuer = { module: 'acme' };
    const ca = a['caServer']?.string();
    if (ca !== undefined) {
      if (!/^https?:\/\/[^/\s]+/i.test(ca))
        throw a['caServer']!.error(`caServer must be a URL, got ${JSON.stringify(ca)}`);
      issuer.ca = ca;
    }
    const email = a['email']?.string();
    if (email) issuer.email = email;
    const http = a['httpChallenge'];
    const tls = a['tlsChallenge'];
    if (!http?.present && !tls?.present)
      throw k['acme'].error('an ACME resolver needs httpChallenge or tlsChallenge (dnsChallenge is not supported)');
    if (http?.present) {
      const h = http.object(['entryPoint', 'delay'], 'httpChallenge');
      if (h['delay']?.present) throw h['delay'].error('httpChallenge.delay is not supported by this adapter');
      const name = h['entryPoint']?.string();
      if (!name) throw (h['entryPoint'] ?? http).error('httpChallenge needs an entryPoint');
      const ep = entryPoints.find((e) => e.name === name);
      if (!ep)
        throw h['entryPoint']!.error(
          `the entry point "${name}" does not exist (static configuration: ${entryPoints.map((e) => e.name).join(', ')})`,
        );
      if (ep.udp) throw h['entryPoint']!.error(`the entry point "${name}" is a UDP one`);
      out.httpChallengeEntryPoints.add(name);
      // The CA always comes to port 80; the entry point is where the answer is served (behind whatever forwards 80).
      issuer.challenges = { http: { alternate_port: Number(ep.address.slice(ep.address.lastIndexOf(':') + 1)) } };
    } else issuer.challenges = { http: { disabled: true } };
    if (tls?.present) tls.object([], 'tlsChallenge');
    else issuer.challenges['tls-alpn'] = { disabled: true };
    // After challenges: Caddy's field order.
    const roots = a['caCertificates']?.strings() ?? [];
    if (roots.length) issuer.trusted_roots_pem_files = roots;
    const chain = a['preferredChain']?.string();
    if (chain) issuer.preferred_chains = { any_common_name: [chain] };
    const keyTypeField = a['keyType'];
    const keyName = keyTypeField?.string() ?? 'RSA4096';
    if (!(keyName in KEY_TYPES))
      throw keyTypeField!.error(`unknown keyType ${JSON.stringify(keyName)} (${Object.keys(KEY_TYPES).join(', ')})`);
    const keyType = KEY_TYPES[keyName];
    if (!keyType) throw keyTypeField!.error(`keyType ${keyName} is not supported by Caddy (at most RSA4096)`);
    const resolver: CertResolver = { name: r.name, issuer, keyType };
    const durationField = a['certificatesDuration'];
    if (durationField?.present) {
      const hours = durationField.int()!;
      if (hours <= 0) throw durationField.error('certificatesDuration must be a positive number of hours');
      const ratio = renewBeforeHours(hours) / hours;
      if (Math.abs(ratio - 1 / 3) > 1e-9) resolver.renewalWindowRatio = ratio;
    }
    const storage = a['storage']?.string();
    if (storage) {
      const root = path.dirname(storage);
      if (storageFrom && storageFrom.root !== root) {
        const at = storageFrom.field.source.locate(storageFrom.field.path);
        throw a['storage']!.error(
          `every resolver must keep its certificates in the same folder (Caddy has one storage): ${JSON.stringify(storageFrom.root)} at line ${at.line}`,
        );
      }
      storageFrom = { root, field: a['storage']! };
      if (existsSync(storage) && statSync(storage).size > 0)
        out.warnings.push({
          field: a['storage']!,
          message: `the certificates in ${storage} are not imported: they are obtained again and kept in ${root} (Caddy's layout)`,
        });
    }
    out.byName.set(r.name, resolver);
  }
  if (storageFrom) out.storage = { module: 'file_system', root: storageFrom.root };
  return out;
}

/**
 * How long before expiry Traefik renews, for a certificate lifetime in hours (Traefik's
 * getCertificateRenewDurations); Caddy expresses it as a ratio of the lifetime.
 */
function renewBeforeHours(hours: number): number {
  if (hours >= 265 * 24) return 4 * 30 * 24;
  if (hours >= 3 * 30 * 24) return 30 * 24;
  if (hours >= 7 * 24) return 24;
  if (hours >= 24) return 6;
  return 1 / 3;
}

/**
 * A router's `tls.certResolver` and `tls.domains`: the names to obtain and the resolver to obtain them from. As
 * Traefik does: `domains` (`main` and `sans`) when given, else the host names of the rule (`ruleDomains`:
 * `Host`/`HostSNI`). Undefined without a certResolver.
 */
export function routerCertificates(
  certResolver: Field | undefined,
  domains: Field | undefined,
  ruleDomains: string[],
  resolvers: CertResolvers,
): CertRequest | undefined {
  const name = certResolver?.string();
  if (!certResolver || !name) {
    if (domains?.present) readDomains(domains); // still checked
    return undefined;
  }
  const resolver = name.replace(/@file$/, '');
  if (!resolvers.byName.has(resolver)) {
    const known = [...resolvers.byName.keys()];
    throw certResolver.error(
      `the certificate resolver "${resolver}" does not exist (static configuration: ${known.length ? known.join(', ') : 'no certificatesResolvers'})`,
    );
  }
  const given = domains?.present ? readDomains(domains) : [];
  const names = given.length ? given : ruleDomains.filter((d) => d !== '*');
  for (const n of ruleDomains) {
    if (n.includes('*') && n !== '*' && given.length === 0)
      throw certResolver.error(`the wildcard ${n} needs a DNS challenge, which is not supported`);
  }
  return { resolver, names: [...new Set(names)], field: certResolver };
}

function readDomains(f: Field): string[] {
  const names: string[] = [];
  for (const d of f.items()) {
    const k = d.object(['main', 'sans'], 'a domain');
    for (const n of [k['main'], ...(k['sans']?.items() ?? [])]) {
      if (!n) continue;
      const v = (n.string() ?? '').toLowerCase();
      if (v.startsWith('*.')) throw n.error(`the wildcard ${v} needs a DNS challenge, which is not supported`);
      if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(v)) throw n.error(`invalid domain ${JSON.stringify(v)}`);
      names.push(v);
    }
    if (!k['main']?.string()) throw (k['main'] ?? d).error('a domain needs main');
  }
  return names;
}

/**
 * Writes what routers asked for: per resolver, a policy with its issuer for its names, and every name in
 * `certificates.automate`. A name two resolvers ask for keeps the first one (Traefik obtains it once too).
 */
export function addCertificates(
  config: Config,
  requests: CertRequest[],
  resolvers: CertResolvers,
  warn: (f: Field, message: string) => void,
): void {
  const byResolver = new Map<string, string[]>();
  const owner = new Map<string, string>();
  for (const r of requests) {
    if (r.names.length === 0)
      warn(r.field, 'no domain to obtain a certificate for (no tls.domains, no host in the rule)');
    for (const n of r.names) {
      const prev = owner.get(n);
      if (prev !== undefined) {
        if (prev !== r.resolver)
          warn(r.field, `${n} is already obtained from the resolver "${prev}"; "${r.resolver}" is not used for it`);
        continue;
      }
      owner.set(n, r.resolver);
      const list = byResolver.get(r.resolver) ?? [];
      list.push(n);
      byResolver.set(r.resolver, list);
    }
  }
  if (byResolver.size === 0) return;
  const apps = (config.apps ??= {});
  const tls = (apps.tls ??= {});
  const certificates = (tls.certificates ??= {});
  const automation = (tls.automation ??= {});
  const policies: AutomationPolicy[] = [];
  for (const [name, subjects] of byResolver) {
    const r = resolvers.byName.get(name)!;
    policies.push({
      subjects,
      issuers: [structuredClone(r.issuer)],
      ...(r.renewalWindowRatio !== undefined ? { renewal_window_ratio: r.renewalWindowRatio } : {}),
      key_type: r.keyType,
    });
  }
  certificates.automate = [...(certificates.automate ?? []), ...owner.keys()];
  automation.policies = [...policies, ...(automation.policies ?? [])];
  if (resolvers.storage) {
    // Caddy's field order: storage before apps.
    const { apps: all, ...rest } = config;
    for (const k of Object.keys(config)) delete (config as Record<string, unknown>)[k];
    Object.assign(config, rest, { storage: resolvers.storage, apps: all });
  }
}
