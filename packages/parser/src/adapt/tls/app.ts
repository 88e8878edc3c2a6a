/** @module tls/app: the `tls` app (Caddy's `buildTLSApp`): automation policies, loaders, global TLS options. */
import type { AdaptContext } from '../core/context.js';
import { AdaptError } from '../core/errors.js';
import { sortStrings } from '../core/go-sort.js';
import type { BindValue } from '../core/helper-impl.js';
import { listenersUseAnyPortOtherThan, ports, type Pairing } from '../core/listeners.js';
import { hostsFromKeys, hostsFromKeysNotHTTP, isAllHTTP, pileOf } from '../core/site.js';
import type {
  AcmeIssuer,
  AdaptedCertGetter,
  CertKeyFilePair,
  ChainPreference,
  DnsChallengeConfig,
  Duration,
  TlsApp,
  TlsAutomation,
  TlsCertificates,
} from '@proxy/contract';
import { struct } from '../json.js';
import type { CertLoaderValue } from '../directives/tls.js';
import type { ECHOption } from '../options/ech.js';
import { apJSON, consolidateAutomationPolicies, hasAllPublicNames, type AutomationPolicy } from './automation.js';
import { defaultIssuers, isACME, type Issuer } from './issuers.js';
import {
  isTailscaleDomain,
  subjectQualifiesForCert,
  subjectQualifiesForPublicCert,
  subjectQualifiesForPublicCertAP,
} from './subjects.js';

type Options = ReadonlyMap<string, unknown>;

type EncryptedClientHello = NonNullable<TlsApp['encrypted_client_hello']>;

/** `value` with its own keys in sorted order (one level). */
function sortedObjectKeys<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = (value as Record<string, unknown>)[k];
  return out as T;
}

function hasGlobalACMEDefaults(o: Options): boolean {
  return (
    o.get('acme_ca') != null ||
    o.get('acme_ca_root') != null ||
    o.has('acme_dns') ||
    o.get('acme_eab') != null ||
    o.get('preferred_chains') != null
  );
}

/** Fills global ACME settings into an ACME issuer that lacks them (Caddy's `fillInGlobalACMEDefaults`). */
export function fillInGlobalACMEDefaults(iss: Issuer, o: Options): void {
  fillInACMEDefaults(iss, acmeDefaults(o));
}

/** The global options `fillInGlobalACMEDefaults` reads, looked up once for all the issuers to fill. */
interface ACMEDefaults {
  email?: string;
  ca?: string;
  caRoot?: string;
  eab?: AcmeIssuer['external_account'];
  chains?: ChainPreference;
  lifetime?: number;
  httpPort?: number;
  httpsPort?: number;
  hasACMEDNS: boolean;
  acmeDNS: DnsChallengeConfig['provider'] | null;
  dns: unknown;
  resolvers?: string[];
  bindHost?: string;
}

function acmeDefaults(o: Options): ACMEDefaults {
  const defaultBind = o.get('default_bind') as { value: BindValue }[] | undefined;
  return {
    email: o.get('email') as string | undefined,
    ca: o.get('acme_ca') as string | undefined,
    caRoot: o.get('acme_ca_root') as string | undefined,
    eab: o.get('acme_eab') as AcmeIssuer['external_account'],
    chains: o.get('preferred_chains') as ChainPreference | undefined,
    lifetime: o.get('cert_lifetime') as number | undefined,
    httpPort: o.get('http_port') as number | undefined,
    httpsPort: o.get('https_port') as number | undefined,
    hasACMEDNS: o.has('acme_dns'),
    acmeDNS: o.get('acme_dns') as DnsChallengeConfig['provider'] | null,
    dns: o.get('dns'),
    resolvers: o.get('tls_resolvers') as string[] | undefined,
    bindHost: defaultBind?.[0]?.value.addresses[0],
  };
}

function fillInACMEDefaults(iss: Issuer, d: ACMEDefaults): void {
  if (!isACME(iss)) return;
  const { email, ca, caRoot, eab, chains, lifetime, httpPort, httpsPort } = d;
  if (email != null && !iss.email) iss.email = email;
  if (ca != null && !iss.ca) iss.ca = ca;
  if (caRoot != null) {
    const roots = iss.trusted_roots_pem_files ?? [];
    if (!roots.includes(caRoot)) iss.trusted_roots_pem_files = [...roots, caRoot];
  }
  const challenges = () => (iss.challenges ??= {});
  const dnsOf = () => iss.challenges?.dns;
  if (d.hasACMEDNS && !dnsOf()?.provider) {
    const acmeDNS = d.acmeDNS;
    if (d.dns == null && acmeDNS == null) {
      throw new Error(
        "acme_dns specified without DNS provider config, but no provider specified with 'dns' global option",
      );
    }
    const dns = (challenges().dns ??= {});
    if (acmeDNS != null) dns.provider = acmeDNS;
  }
  if (eab != null && !iss.external_account) iss.external_account = eab;
  if (chains != null && !iss.preferred_chains) iss.preferred_chains = chains;
  const ch = iss.challenges;
  if (httpPort != null && !ch?.dns && !ch?.http?.alternate_port) {
    (challenges().http ??= {}).alternate_port = httpPort;
  }
  const ch2 = iss.challenges;
  if (httpsPort != null && !ch2?.dns && !ch2?.['tls-alpn']?.alternate_port) {
    (challenges()['tls-alpn'] ??= {}).alternate_port = httpsPort;
  }
  if (lifetime != null && !iss.certificate_lifetime) iss.certificate_lifetime = lifetime;
  const resolvers = d.resolvers;
  const dns = dnsOf();
  if (resolvers && dns && !dns.resolvers) dns.resolvers = resolvers;
  const bindHost = d.bindHost;
  if (bindHost && !iss.challenges?.bind_host) challenges().bind_host = bindHost;
}

function newBaseAP(o: Options, always: boolean): AutomationPolicy | undefined {
  const issuers = o.get('cert_issuer') as Issuer[] | undefined;
  const local = o.has('local_certs');
  const keyType = o.get('key_type') as string | undefined;
  const ocsp = o.get('ocsp_stapling') as { disable_stapling?: boolean } | undefined;
  const ratio = o.get('renewal_window_ratio') as number | undefined;
  const hasAutomation =
    issuers !== undefined || local || keyType !== undefined || ocsp !== undefined || ratio !== undefined;
  if (!hasAutomation && !hasGlobalACMEDefaults(o)) return always ? {} : undefined;
  const ap: AutomationPolicy = {};
  if (keyType !== undefined) ap.key_type = keyType;
  if (issuers && local) {
    throw new AdaptError(
      'global options are ambiguous: local_certs is confusing when combined with cert_issuer, because local_certs is also a specific kind of issuer',
    );
  }
  if (issuers) ap.issuers = issuers;
  else if (local) ap.issuers = [{ module: 'internal' }];
  if (hasGlobalACMEDefaults(o)) for (const i of ap.issuers ?? []) fillInGlobalACMEDefaults(i, o);
  if (ocsp) ap.disable_ocsp_stapling = ocsp.disable_stapling;
  if (ratio !== undefined) ap.renewal_window_ratio = ratio;
  return ap;
}

function certLoadersJSON(loaders: CertLoaderValue[]): TlsCertificates {
  const out: TlsCertificates = {};
  const files = loaders.flatMap((l) => (l.module === 'load_files' ? l.entries : []));
  const folders = loaders.flatMap((l) => (l.module === 'load_folders' ? l.entries : []));
  if (files.length > 0) {
    out.load_files = files.map((f) =>
      struct<CertKeyFilePair>({ certificate: f.certificate, key: f.key, format: f.format, tags: f.tags }),
    );
  }
  if (folders.length > 0) out.load_folders = folders;
  return out;
}

/** Builds the tls app, or undefined when it would be empty. */
export function buildTLSApp(pairings: Pairing[], ctx: AdaptContext): TlsApp | undefined {
  const o = ctx.options;
  const { httpPort } = ports(o);
  const autoHTTPS = (o.get('auto_https') as string[] | undefined) ?? [];
  const certificates: TlsCertificates = {};
  const loaders: CertLoaderValue[] = [];
  let policies: AutomationPolicy[] | undefined;
  const addPolicy = (ap: AutomationPolicy) => (policies ??= []).push(ap);

  const shared = new Set<string>();
  if (!autoHTTPS.includes('off')) {
    for (const p of pairings) {
      for (const v of p.views) {
        const hostless = v.parsedKeys.find((a) => a.host === '');
        if (!hostless) continue;
        for (const other of v.parsedKeys) {
          if (other.original === hostless.original) continue;
          if (other.host !== '' && other.scheme !== 'http' && other.port !== httpPort) shared.add(other.host);
        }
      }
    }
  }

  let catchAll = newBaseAP(o, false);
  if (catchAll) addPolicy(catchAll);
  const forced = new Set<string>();

  for (const p of pairings) {
    if (
      !listenersUseAnyPortOtherThan(
        p.addresses.map((a) => a.address),
        httpPort,
      )
    )
      continue;
    for (const v of p.views) {
      if (isAllHTTP(v)) continue;
      let ap = newBaseAP(o, true)!;
      const hosts = hostsFromKeys(v, false);
      if (hosts.length === 0 && catchAll) ap = catchAll;
      const pile = (c: string) => pileOf(v.site, c);
      if (pile('tls.on_demand').length > 0) ap.on_demand = true;
      if (pile('tls.reuse_private_keys').length > 0) ap.reuse_private_keys = true;
      if (pile('tls.key_type').length > 0) ap.key_type = pile('tls.key_type')[0]!.value as string;
      if (pile('tls.renewal_window_ratio').length > 0)
        ap.renewal_window_ratio = pile('tls.renewal_window_ratio')[0]!.value as number;
      else if (o.has('renewal_window_ratio')) ap.renewal_window_ratio = o.get('renewal_window_ratio') as number;
      if (pile('tls.force_automate').length > 0) for (const h of hosts) forced.add(h);
      const issuerVals = pile('tls.cert_issuer');
      if (issuerVals.length > 0) {
        const issuers = issuerVals.map((x) => x.value as Issuer);
        if (ap === catchAll && JSON.stringify(ap.issuers ?? null) !== JSON.stringify(issuers)) {
          throw new AdaptError(
            `automation policy from site block is also default/catch-all policy because of key without hostname, and the two are in conflict: ${JSON.stringify(ap.issuers ?? null)} != ${JSON.stringify(issuers)}`,
          );
        }
        ap.issuers = issuers;
      }
      for (const m of pile('tls.cert_manager'))
        ap.get_certificate = [...(ap.get_certificate ?? []), m.value as AdaptedCertGetter];
      for (const b of pile('bind')) {
        for (const iss of ap.issuers ?? []) {
          if (!isACME(iss)) continue;
          const ch = (iss.challenges ??= {});
          if (!ch.bind_host) {
            const addrs = (b.value as BindValue).addresses;
            ch.bind_host = addrs.length > 0 ? addrs[0]! : '';
          }
        }
      }
      if (hosts.length === 0 && !catchAll) catchAll = ap;
      ap.subjects = sortStrings(hostsFromKeysNotHTTP(v, httpPort));
      if (ap.subjects.length === 0) delete ap.subjects;
      let ap2: AutomationPolicy | undefined;
      if (!ap.issuers?.length) {
        const internal: string[] = [];
        const external: string[] = [];
        for (const s of ap.subjects ?? []) {
          if (isTailscaleDomain(s)) continue;
          if (!subjectQualifiesForCert(s)) throw new AdaptError(`subject does not qualify for certificate: '${s}'`);
          if (subjectQualifiesForPublicCertAP(!!ap.on_demand, s)) external.push(s);
          else internal.push(s);
        }
        if (external.length > 0 && internal.length > 0) {
          ap.subjects = external;
          ap2 = { ...ap, subjects: internal, issuers: undefined, issuersRaw: [{ module: 'internal' }] };
        }
      }
      addPolicy(ap);
      if (ap2) addPolicy(ap2);
      for (const cl of pile('tls.cert_loader')) loaders.push(cl.value as CertLoaderValue);
    }
  }
  Object.assign(certificates, certLoadersJSON(loaders));

  const automation: TlsAutomation = {};
  const onDemand = o.get('on_demand_tls') as TlsAutomation['on_demand'];
  if (onDemand) automation.on_demand = onDemand;
  const app: TlsApp = {};
  const dns = o.get('dns') as TlsApp['dns'] | null;
  if (dns != null) app.dns = dns;
  const resolvers = o.get('tls_resolvers') as string[] | undefined;
  if (resolvers) app.resolvers = resolvers;
  const ech = o.get('ech') as ECHOption | undefined;
  if (ech) {
    app.encrypted_client_hello = struct<EncryptedClientHello>({
      configs: ech.publicNames.map((n) => ({ public_name: n })),
      publication: ech.dnsProviders.map((p) => ({ configs: ech.publicNames, publishers: { dns: { provider: p } } })),
    });
    const ap = newBaseAP(o, true)!;
    ap.subjects = [...ech.publicNames];
    addPolicy(ap);
  }
  if (o.get('storage_check') === 'off') app.disable_storage_check = true;
  if (o.get('storage_clean_interval') === false) app.disable_storage_clean = true;
  if (typeof o.get('storage_clean_interval') === 'number')
    automation.storage_clean_interval = o.get('storage_clean_interval') as number;
  if (o.has('renew_interval')) automation.renew_interval = o.get('renew_interval') as Duration;
  if (o.has('ocsp_interval')) automation.ocsp_interval = o.get('ocsp_interval') as Duration;
  const ocsp = o.get('ocsp_stapling') as { disable_stapling?: boolean } | undefined;
  if (ocsp?.disable_stapling) app.disable_ocsp_stapling = true;

  const automate: string[] = [];
  const internalAP: AutomationPolicy = { issuersRaw: [{ module: 'internal' }] };
  if (!autoHTTPS.includes('off') && !autoHTTPS.includes('disable_certs')) {
    for (const h of shared) {
      automate.push(h);
      if (!subjectQualifiesForPublicCert(h)) (internalAP.subjects ??= []).push(h);
    }
  }
  for (const n of forced) if (!automate.includes(n)) automate.push(n);
  if (automate.length > 0) certificates.automate = sortStrings(automate);
  if (internalAP.subjects?.length) addPolicy(internalAP);

  if (policies) {
    const email = o.get('email') as string | undefined;
    if (email != null || hasGlobalACMEDefaults(o)) {
      for (const ap of policies) {
        if (!ap.issuers?.length && !ap.issuersRaw && hasAllPublicNames(ap)) {
          ap.issuers = o.get('acme_ca') != null ? [{ module: 'acme' }] : defaultIssuers(email);
        }
      }
    }
    const defaults = acmeDefaults(o);
    policies.forEach((ap, i) => {
      (ap.issuers ?? []).forEach((iss, j) => {
        try {
          fillInACMEDefaults(iss, defaults);
        } catch (e) {
          throw new AdaptError(`filling in global issuer defaults for AP ${i}, issuer ${j}: ${(e as Error).message}`);
        }
      });
    });
    const consolidated = consolidateAutomationPolicies(policies);
    const seen = new Set<string>();
    for (const ap of consolidated ?? []) {
      for (const s of ap.subjects ?? []) {
        if (seen.has(s))
          throw new AdaptError(
            `hostname appears in more than one automation policy, making certificate management ambiguous: ${s}`,
          );
        seen.add(s);
      }
    }
    if (consolidated?.length) automation.policies = consolidated.map(apJSON);
  }

  const automationJSON = struct<TlsAutomation>({
    policies: automation.policies,
    on_demand: automation.on_demand,
    ocsp_interval: automation.ocsp_interval,
    renew_interval: automation.renew_interval,
    storage_clean_interval: automation.storage_clean_interval,
  });
  // The loaders are a map of module names in Caddy (`certificates`), so they come out sorted.
  const sortedCerts: TlsCertificates = sortedObjectKeys(certificates);
  const out = struct<TlsApp>({
    certificates: sortedCerts,
    automation: Object.keys(automationJSON).length > 0 ? automationJSON : undefined,
    disable_ocsp_stapling: app.disable_ocsp_stapling,
    disable_storage_check: app.disable_storage_check,
    disable_storage_clean: app.disable_storage_clean,
    encrypted_client_hello: app.encrypted_client_hello,
    dns: app.dns,
    resolvers: app.resolvers,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}
