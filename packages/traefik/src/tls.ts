/**
 * @module tls: Traefik's dynamic `tls` section: `certificates` become the tls app's certificate loaders and each
 * `options.<name>` a caddy-l4 TLS connection policy (Traefik's pkg/tls/tlsmanager.go buildTLSConfig).
 */
import type { CertKeyFilePair, CertKeyPemPair, Layer4TlsConnectionPolicy, TlsCertificates } from '@proxy/contract';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_CERT_NAME } from './default-cert.js';
import { namedEntries, type Field } from './reader.js';

/** What the `tls` section gives the TCP lowering. */
export interface TlsSection {
  certificates: TlsCertificates | undefined;
  /** Connection policies by option name; `default` is what routers without `options` get. */
  options: Map<string, Layer4TlsConnectionPolicy>;
  /** Options with `sniStrict: true`: no default certificate for names no certificate matches. */
  sniStrict: Set<string>;
  /** The name terminating policies fall back to: the default store's certificate's, else the generated one's. */
  defaultName: string;
}

/** Go's names for TLS versions Caddy serves (TLS 1.0 and 1.1 are not). */
const VERSIONS: Record<string, 'tls1.2' | 'tls1.3'> = { VersionTLS12: 'tls1.2', VersionTLS13: 'tls1.3' };
/** Cipher suites Caddy accepts (Go's tls.CipherSuites(); the TLS 1.3 ones are accepted and fixed, as in Go). */
const CIPHER_SUITES = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
]);
/** Traefik takes Go's curve names and the RFC names; Caddy takes the RFC ones. */
const CURVES: Record<string, string> = {
  CurveP256: 'secp256r1',
  CurveP384: 'secp384r1',
  CurveP521: 'secp521r1',
  X25519: 'x25519',
  secp256r1: 'secp256r1',
  secp384r1: 'secp384r1',
  secp521r1: 'secp521r1',
  x25519: 'x25519',
};
const CLIENT_AUTH: Record<string, string | undefined> = {
  NoClientCert: undefined,
  RequestClientCert: 'request',
  RequireAnyClientCert: 'require',
  VerifyClientCertIfGiven: 'verify_if_given',
  RequireAndVerifyClientCert: 'require_and_verify',
};
/** Traefik's default ALPN list is h2, http/1.1, acme-tls/1; acme-tls/1 is only ever answered by its ACME handler. */
const DEFAULT_ALPN = ['h2', 'http/1.1'];

/** Traefik's FileOrContent: inline PEM when it looks like PEM, else a file path. */
function isPem(s: string): boolean {
  return s.includes('-----BEGIN');
}

/** The `tls` sections of the dynamic files, merged. */
export function readTlsSections(sections: Field[]): TlsSection {
  const all = sections.map((tls) => tls.object(['certificates', 'options', 'stores'], 'tls'));
  const options = new Map<string, Layer4TlsConnectionPolicy>();
  const sniStrict = new Set<string>();
  for (const opt of namedEntries(
    all.map((k) => k['options']),
    'the TLS options',
  )) {
    options.set(opt.name, readOptions(opt));
    if (opt.object(OPTION_KEYS, 'TLS options')['sniStrict']?.bool()) sniStrict.add(opt.name);
  }
  const files: CertKeyFilePair[] = [];
  const pems: CertKeyPemPair[] = [];
  let defaultName = DEFAULT_CERT_NAME;
  for (const d of namedEntries(
    all.map((k) => k['stores']),
    'the TLS store',
  )) {
    const pair = readStore(d);
    if (!pair) continue;
    defaultName = pair.name;
    if (isPem(pair.certificate)) pems.push({ certificate: pair.certificate, key: pair.key });
    else files.push({ certificate: pair.certificate, key: pair.key });
  }
  for (const c of all.flatMap((k) => k['certificates']?.items() ?? [])) {
    const k = c.object(['certFile', 'keyFile', 'stores'], 'a certificate');
    const cert = k['certFile']?.string();
    const key = k['keyFile']?.string();
    if (!cert) throw (k['certFile'] ?? c).error('a certificate needs certFile');
    if (!key) throw (k['keyFile'] ?? c).error('a certificate needs keyFile');
    for (const s of k['stores']?.items() ?? []) {
      if (s.string() !== 'default') throw s.error('only the default TLS store is supported (as in Traefik v3)');
    }
    if (isPem(cert) !== isPem(key)) throw c.error('certFile and keyFile must both be files or both be inline PEM');
    if (isPem(cert)) pems.push({ certificate: cert, key });
    else files.push({ certificate: cert, key });
  }
  const certificates: TlsCertificates | undefined =
    files.length + pems.length === 0
      ? undefined
      : { ...(files.length ? { load_files: files } : {}), ...(pems.length ? { load_pem: pems } : {}) };
  return { certificates, options, sniStrict, defaultName };
}

/**
 * `tls.stores.default.defaultCertificate`: Traefik serves it when no certificate matches. It is loaded with the
 * others, and policies fall back to a name it covers, read from it here (Traefik reads it at load time too).
 */
function readStore(s: Field): { certificate: string; key: string; name: string } | undefined {
  if (s.name !== 'default') throw s.error('only the default TLS store is supported (as in Traefik v3)');
  const k = s.object(['defaultCertificate', 'defaultGeneratedCert'], 'a TLS store');
  if (k['defaultGeneratedCert']?.present) throw k['defaultGeneratedCert'].error('not supported yet by this adapter');
  const d = k['defaultCertificate'];
  if (!d?.present) return undefined;
  const dk = d.object(['certFile', 'keyFile'], 'defaultCertificate');
  const certificate = dk['certFile']?.string();
  const key = dk['keyFile']?.string();
  if (!certificate || !key) throw d.error('defaultCertificate needs certFile and keyFile');
  let pem = certificate;
  if (!isPem(certificate)) {
    try {
      pem = readFileSync(certificate, 'utf8');
    } catch (e) {
      throw dk['certFile']!.error(`cannot read ${JSON.stringify(certificate)}: ${(e as Error).message}`);
    }
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw dk['certFile']!.error(`not a PEM certificate: ${(e as Error).message}`);
  }
  const first = certificateNames(cert)[0];
  if (!first) throw dk['certFile']!.error('the certificate names no host (no SAN, no CN)');
  // A wildcard covers any one label: a name under it finds it.
  const name = first.startsWith('*.') ? `traefik-default${first.slice(1)}` : first;
  return { certificate, key, name };
}

/** The names a certificate is indexed by, as the runtime's tls app does: DNS and IP SANs, else the CN. */
function certificateNames(c: X509Certificate): string[] {
  const names: string[] = [];
  for (const part of (c.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) names.push(part.slice(4).toLowerCase());
    else if (part.startsWith('IP Address:')) names.push(part.slice(11).toLowerCase());
  }
  if (names.length === 0) {
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(c.subject)?.[1];
    if (cn) names.push(cn.toLowerCase());
  }
  return names;
}

const OPTION_KEYS = [
  'minVersion',
  'maxVersion',
  'cipherSuites',
  'curvePreferences',
  'clientAuth',
  'sniStrict',
  'alpnProtocols',
  'preferServerCipherSuites',
  'disableSessionTickets',
];

function readOptions(opt: Field): Layer4TlsConnectionPolicy {
  const k = opt.object(OPTION_KEYS, 'TLS options');
  const policy: Layer4TlsConnectionPolicy = {};
  const cipherSuites = k['cipherSuites']?.items().map((f) => {
    const name = f.string() ?? '';
    if (!CIPHER_SUITES.has(name))
      throw f.error(`cipher suite ${JSON.stringify(name)} is unknown or not supported by Caddy`);
    return name;
  });
  if (cipherSuites?.length) policy.cipher_suites = cipherSuites;
  const curves = k['curvePreferences']?.items().map((f) => {
    const name = CURVES[f.string() ?? ''];
    if (!name) throw f.error(`curve ${JSON.stringify(f.value)} is unknown or not supported by Caddy`);
    return name;
  });
  if (curves?.length) policy.curves = curves;
  const alpn = k['alpnProtocols']?.strings();
  if (alpn?.length && alpn.join() !== [...DEFAULT_ALPN, 'acme-tls/1'].join())
    policy.alpn = alpn.filter((p) => p !== 'acme-tls/1');
  for (const [key, to] of [
    ['minVersion', 'protocol_min'],
    ['maxVersion', 'protocol_max'],
  ] as const) {
    const f = k[key];
    const v = f?.string();
    if (f && v !== undefined) {
      const version = VERSIONS[v];
      if (!version) {
        throw f.error(
          /^VersionTLS1[01]$/.test(v)
            ? `${v} is not supported by Caddy (its oldest is VersionTLS12)`
            : `unknown TLS version ${JSON.stringify(v)} (VersionTLS12 or VersionTLS13)`,
        );
      }
      policy[to] = version;
    }
  }
  k['sniStrict']?.bool();
  // Go ignores PreferServerCipherSuites since 1.18, and Caddy has no session ticket switch per policy.
  if (k['disableSessionTickets']?.bool()) throw k['disableSessionTickets'].error('not supported yet by this adapter');
  k['preferServerCipherSuites']?.bool();
  if (k['clientAuth']) {
    const auth = readClientAuth(k['clientAuth']);
    if (auth) policy.client_authentication = auth;
  }
  return policy;
}

function readClientAuth(f: Field): Layer4TlsConnectionPolicy['client_authentication'] {
  const k = f.object(['caFiles', 'clientAuthType', 'secretNames'], 'clientAuth');
  if (k['secretNames']) throw k['secretNames'].error('secretNames is for the Kubernetes providers, not files');
  const files: string[] = [];
  const inline: string[] = [];
  for (const ca of k['caFiles']?.items() ?? []) {
    const v = ca.string() ?? '';
    if (isPem(v)) inline.push(...pemBlocks(v, ca));
    else files.push(v);
  }
  const typeField = k['clientAuthType'];
  const type = typeField?.string();
  // Traefik: CA files alone mean RequireAndVerifyClientCert.
  let mode = files.length + inline.length > 0 ? 'require_and_verify' : undefined;
  if (typeField && type !== undefined && type !== '') {
    if (!(type in CLIENT_AUTH)) {
      throw typeField.error(`unknown clientAuthType ${JSON.stringify(type)} (${Object.keys(CLIENT_AUTH).join(', ')})`);
    }
    if ((type === 'VerifyClientCertIfGiven' || type === 'RequireAndVerifyClientCert') && !mode)
      throw typeField.error(`clientAuthType ${type} needs caFiles`);
    mode = CLIENT_AUTH[type];
  }
  if (!mode) return undefined;
  return {
    ...(inline.length ? { trusted_ca_certs: inline } : {}),
    ...(files.length ? { trusted_ca_certs_pem_files: files } : {}),
    mode,
  };
}

/** The base64 DER of each certificate of an inline PEM text. */
function pemBlocks(pem: string, f: Field): string[] {
  const out = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    m[1]!.replace(/\s+/g, ''),
  );
  if (out.length === 0) throw f.error('no certificate in the inline PEM');
  return out;
}
