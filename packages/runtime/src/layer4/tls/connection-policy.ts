/** @module layer4/tls/connection-policy: Caddy TLS connection policies compiled for the layer4 tls handler. */
import { type CertSelector, compileCertSelection } from '../../tls/cert-selection.js';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { DetailedPeerCertificate, SecureContextOptions, SecureVersion, TLSSocket } from 'node:tls';
import type { Layer4TlsConnectionPolicy } from '@proxy/contract';
import { Layer4ConfigError } from '../errors.js';
import { compileHandshakeMatchers, type HandshakeMatcher } from './handshake-match.js';
import { CIPHERS, CURVES, TLS13 } from '../../tls/names.js';

/** Caddy's default ALPN when a policy sets none. */
const DEFAULT_ALPN = ['h2', 'http/1.1'];
const VERSIONS: Record<string, SecureVersion> = { 'tls1.2': 'TLSv1.2', 'tls1.3': 'TLSv1.3' };
const ORDER: Record<string, number> = { 'TLSv1.2': 2, 'TLSv1.3': 3 };
const MODES = new Set(['request', 'require', 'verify_if_given', 'require_and_verify']);

export type ClientAuthMode = 'request' | 'require' | 'verify_if_given' | 'require_and_verify';

interface ClientAuth {
  mode: ClientAuthMode;
  /** Trusted CAs; verified here rather than by OpenSSL, so no key material is needed for them. */
  cas: X509Certificate[];
  /** SHA-256 fingerprints of trusted leaf certificates. */
  trustedLeaves: Set<string>;
}

/** A compiled connection policy. */
export interface ConnectionPolicy {
  readonly id: number;
  readonly match: HandshakeMatcher;
  readonly alpn: string[];
  readonly drop: boolean;
  readonly defaultSni: string;
  readonly fallbackSni: string;
  /** Context options beyond the certificate (versions, ciphers, curves, client CAs); empty = none. */
  readonly contextOptions: SecureContextOptions;
  readonly clientAuth: ClientAuth | undefined;
  /** The compiled `certificate_selection`, picking among the tls app's certificates. */
  readonly certSelect: CertSelector | undefined;
  /** Checks what the context could not enforce; returns why the connection must be refused. */
  verify(sock: TLSSocket): string | undefined;
}

let nextId = 0;

function derToPem(b64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

function strings(v: unknown, path: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new Layer4ConfigError(path, 'expected an array of strings');
  return v as string[];
}

function readPem(file: string, path: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Layer4ConfigError(path, `cannot read ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
}

function compileClientAuth(json: unknown, path: string): ClientAuth {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected an object');
  const c = json as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!['ca', 'trusted_ca_certs', 'trusted_ca_certs_pem_files', 'trusted_leaf_certs', 'mode'].includes(key)) {
      throw new Layer4ConfigError(`${path}.${key}`, 'not implemented in this runtime yet');
    }
  }
  const cas = strings(c['trusted_ca_certs'], `${path}.trusted_ca_certs`).map(derToPem);
  strings(c['trusted_ca_certs_pem_files'], `${path}.trusted_ca_certs_pem_files`).forEach((f, i) =>
    cas.push(readPem(f, `${path}.trusted_ca_certs_pem_files[${i}]`)),
  );
  const ca = c['ca'] as Record<string, unknown> | undefined;
  if (ca !== undefined) {
    if (ca['provider'] === 'inline')
      cas.push(...strings(ca['trusted_ca_certs'], `${path}.ca.trusted_ca_certs`).map(derToPem));
    else if (ca['provider'] === 'file')
      strings(ca['pem_files'], `${path}.ca.pem_files`).forEach((f, i) =>
        cas.push(readPem(f, `${path}.ca.pem_files[${i}]`)),
      );
    else
      throw new Layer4ConfigError(
        `${path}.ca.provider`,
        `CA provider ${JSON.stringify(ca['provider'])} is not implemented in this runtime yet`,
      );
  }
  const trustedLeaves = new Set(
    strings(c['trusted_leaf_certs'], `${path}.trusted_leaf_certs`).map((b64, i) => {
      try {
        return new X509Certificate(Buffer.from(b64, 'base64')).fingerprint256;
      } catch (err) {
        throw new Layer4ConfigError(
          `${path}.trusted_leaf_certs[${i}]`,
          `not a DER certificate: ${(err as Error).message}`,
        );
      }
    }),
  );
  const mode = c['mode'] ?? (cas.length > 0 ? 'require_and_verify' : 'require');
  if (typeof mode !== 'string' || !MODES.has(mode))
    throw new Layer4ConfigError(`${path}.mode`, `unknown mode ${JSON.stringify(mode)}`);
  const x509 = cas.map((pem, i) => {
    try {
      return new X509Certificate(pem);
    } catch (err) {
      throw new Layer4ConfigError(`${path} (CA ${i})`, `not a certificate: ${(err as Error).message}`);
    }
  });
  return { mode: mode as ClientAuthMode, cas: x509, trustedLeaves };
}

/**
 * Whether the presented chain leads to one of `cas`: each certificate valid now and signed by the next,
 * intermediates being CAs. (The handshake itself proved the client holds the leaf's key.)
 */
function chainsTo(leaf: DetailedPeerCertificate, cas: X509Certificate[]): boolean {
  const now = Date.now();
  let cur: DetailedPeerCertificate | undefined = leaf;
  for (let depth = 0; cur && depth < 10; depth++) {
    const x = new X509Certificate(cur.raw);
    if (Date.parse(x.validFrom) > now || Date.parse(x.validTo) < now) return false;
    if (cas.some((ca) => x.checkIssued(ca) && x.verify(ca.publicKey))) return true;
    const up: DetailedPeerCertificate | undefined = cur.issuerCertificate;
    if (!up || up === cur || up.fingerprint256 === cur.fingerprint256) return false;
    const ux = new X509Certificate(up.raw);
    if (!ux.ca || !x.checkIssued(ux) || !x.verify(ux.publicKey)) return false;
    cur = up;
  }
  return false;
}

export function compilePolicy(json: unknown, path: string): ConnectionPolicy {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected a connection policy object');
  const p = json as Layer4TlsConnectionPolicy;
  for (const field of ['insecure_secrets_log', 'handshake_context'] as const) {
    if ((p as Record<string, unknown>)[field] !== undefined)
      throw new Layer4ConfigError(`${path}.${field}`, 'not implemented in this runtime yet');
  }
  const opts: SecureContextOptions = {};
  const version = (v: unknown, field: string): SecureVersion | undefined => {
    if (v === undefined) return undefined;
    const n = VERSIONS[v as string];
    if (!n) throw new Layer4ConfigError(`${path}.${field}`, `unknown protocol ${JSON.stringify(v)} (tls1.2, tls1.3)`);
    return n;
  };
  const min = version(p.protocol_min, 'protocol_min') ?? 'TLSv1.2';
  const max = version(p.protocol_max, 'protocol_max') ?? 'TLSv1.3';
  if (p.protocol_min !== undefined) opts.minVersion = min;
  if (p.protocol_max !== undefined) opts.maxVersion = max;
  const ciphers = strings(p.cipher_suites, `${path}.cipher_suites`)
    .map((cs, i) => {
      if (TLS13.has(cs)) return undefined;
      const n = CIPHERS[cs];
      if (!n)
        throw new Layer4ConfigError(
          `${path}.cipher_suites[${i}]`,
          `unknown or unsupported cipher suite ${JSON.stringify(cs)}`,
        );
      return n;
    })
    .filter((c): c is string => c !== undefined);
  if (ciphers.length > 0) opts.ciphers = ciphers.join(':');
  const curves = strings(p.curves, `${path}.curves`).map((cv, i) => {
    const n = CURVES[cv];
    if (!n) throw new Layer4ConfigError(`${path}.curves[${i}]`, `unknown curve ${JSON.stringify(cv)}`);
    return n;
  });
  if (curves.length > 0) opts.ecdhCurve = curves.join(':');
  const clientAuth =
    p.client_authentication === undefined
      ? undefined
      : compileClientAuth(p.client_authentication, `${path}.client_authentication`);
  const alpn = p.alpn === undefined ? DEFAULT_ALPN : strings(p.alpn, `${path}.alpn`);
  let certSelect: CertSelector | undefined;
  if (p.certificate_selection !== undefined) {
    try {
      certSelect = compileCertSelection(p.certificate_selection, `${path}.certificate_selection`);
    } catch (e) {
      throw new Layer4ConfigError(`${path}.certificate_selection`, (e as Error).message);
    }
  }
  return {
    id: nextId++,
    match: compileHandshakeMatchers(p.match, `${path}.match`),
    alpn,
    drop: p.drop === true,
    defaultSni: p.default_sni ?? '',
    fallbackSni: p.fallback_sni ?? '',
    contextOptions: opts,
    clientAuth,
    certSelect,
    verify(sock) {
      const v = ORDER[sock.getProtocol() ?? ''] ?? 0;
      if (v < ORDER[min]! || v > ORDER[max]!) return `protocol ${sock.getProtocol()} outside the policy`;
      if (!clientAuth) return undefined;
      const peer = sock.getPeerCertificate(true);
      const has = peer !== null && Object.keys(peer).length > 0;
      const { mode, cas, trustedLeaves } = clientAuth;
      if ((mode === 'require' || mode === 'require_and_verify') && !has) return 'client certificate required';
      if (!has) return undefined;
      if ((mode === 'verify_if_given' || mode === 'require_and_verify') && cas.length > 0 && !chainsTo(peer, cas)) {
        return 'client certificate not signed by a trusted CA';
      }
      if (trustedLeaves.size > 0 && !trustedLeaves.has(peer.fingerprint256))
        return 'client certificate is not a trusted leaf';
      return undefined;
    },
  };
}
