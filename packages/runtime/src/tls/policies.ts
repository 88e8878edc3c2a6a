/** @module tls/policies: TLS connection policies compiled for handshakes (match, versions, ciphers, ALPN, client auth). */
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { SecureContextOptions, SecureVersion } from 'node:tls';
import type { ConnectionPolicy } from '@proxy/contract';
import { compileHosts } from '../http/matchers/host.js';
import { compileRanges, inRanges } from '../http/matchers/ip.js';
import { compileGoRegexp } from '../util/go-regexp.js';
import { ConfigError, joinPath } from '../util/errors.js';
import { type CertSelector, compileCertSelection } from './cert-selection.js';
import type { CompiledConnectionPolicy } from './handle.js';
import { CIPHERS, CURVES, TLS13 } from './names.js';

const VERSIONS: Record<string, SecureVersion> = {
  'tls1.0': 'TLSv1',
  'tls1.1': 'TLSv1.1',
  'tls1.2': 'TLSv1.2',
  'tls1.3': 'TLSv1.3',
};

/**
 * Go's TLS 1.3 preference on a machine with AES hardware. Go picks the suite by its own order, not the
 * client's (curl offers AES-256 first and still gets AES-128 from Caddy). Go prefers ChaCha20 when the
 * client lists it first; one context cannot choose by the client's order, so that case is not followed.
 */
const GO_TLS13_ORDER = ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_256_GCM_SHA384'];

/** Go's cipherSuitesPreferenceOrder (crypto/tls) over the TLS 1.2 suites it and OpenSSL share. */
const GO_TLS12_ORDER = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
];

/** Caddy's default TLS 1.2 suites when a policy names none (ECDHE with AEAD only). */
const CADDY_DEFAULT_TLS12 = GO_TLS12_ORDER.slice(0, 6);

/**
 * The OpenSSL cipher string for the given TLS 1.2 suites (Go names), TLS 1.3 suites first, all in Go's
 * preference order: since Go 1.17 the order of a configured list is ignored, only its members count.
 */
function goCipherOrder(tls12: readonly string[]): string {
  const wanted = new Set(tls12);
  return [...GO_TLS13_ORDER, ...GO_TLS12_ORDER.filter((n) => wanted.has(n)).map((n) => CIPHERS[n]!)].join(':');
}

let policySeq = 0;

/** Client authentication modes. */
export type ClientAuthMode = 'request' | 'require' | 'verify_if_given' | 'require_and_verify';

/** A compiled policy: the matcher plus what the handshake needs. */
export class ConnectionPolicyImpl implements CompiledConnectionPolicy {
  private readonly tests: Array<
    (h: { serverName: string | undefined; remoteAddress?: string; localAddress?: string }) => boolean
  > = [];
  /** Options for the secure context (versions, ciphers, client CAs). */
  readonly contextOptions: SecureContextOptions;
  /** A key identifying `contextOptions`, for caching contexts. */
  readonly key: string;
  readonly clientAuth: ClientAuthMode | undefined;
  readonly trustedLeafFingerprints: Set<string>;
  /** The compiled `certificate_selection`, if any. */
  readonly selectCert: CertSelector | undefined;

  constructor(
    readonly config: ConnectionPolicy,
    readonly index: number,
    path: string,
  ) {
    const c = config;
    this.selectCert = c.certificate_selection
      ? compileCertSelection(c.certificate_selection, joinPath(path, 'certificate_selection'))
      : undefined;
    const m = c.match ?? {};
    const mp = joinPath(path, 'match');
    if (m.sni) {
      const hosts = compileHosts(m.sni);
      this.tests.push((h) => h.serverName !== undefined && hosts(h.serverName));
    }
    if (m.sni_regexp) {
      let re: RegExp;
      try {
        re = compileGoRegexp(m.sni_regexp.pattern);
      } catch (e) {
        throw ConfigError.at(
          joinPath(joinPath(mp, 'sni_regexp'), 'pattern'),
          `invalid regular expression: ${(e as Error).message}`,
        );
      }
      this.tests.push((h) => re.test(h.serverName ?? ''));
    }
    if (m.remote_ip) {
      const yes = m.remote_ip.ranges?.length
        ? compileRanges(m.remote_ip.ranges, joinPath(joinPath(mp, 'remote_ip'), 'ranges'))
        : undefined;
      const no = m.remote_ip.not_ranges?.length
        ? compileRanges(m.remote_ip.not_ranges, joinPath(joinPath(mp, 'remote_ip'), 'not_ranges'))
        : undefined;
      this.tests.push(
        (h) => !!h.remoteAddress && (!yes || inRanges(yes, h.remoteAddress)) && (!no || !inRanges(no, h.remoteAddress)),
      );
    }
    if (m.local_ip) {
      const yes = compileRanges(m.local_ip.ranges ?? [], joinPath(joinPath(mp, 'local_ip'), 'ranges'));
      this.tests.push((h) => !!h.localAddress && inRanges(yes, h.localAddress));
    }
    const opts: SecureContextOptions = {};
    if (c.protocol_min) {
      const v = VERSIONS[c.protocol_min];
      if (!v) throw ConfigError.at(joinPath(path, 'protocol_min'), `unknown protocol version "${c.protocol_min}"`);
      opts.minVersion = v;
    } else opts.minVersion = 'TLSv1.2';
    if (c.protocol_max) {
      const v = VERSIONS[c.protocol_max];
      if (!v) throw ConfigError.at(joinPath(path, 'protocol_max'), `unknown protocol version "${c.protocol_max}"`);
      opts.maxVersion = v;
    }
    let tls12 = CADDY_DEFAULT_TLS12;
    if (c.cipher_suites?.length) {
      const names: string[] = [];
      c.cipher_suites.forEach((cs, i) => {
        if (TLS13.has(cs)) return;
        const n = CIPHERS[cs];
        if (!n)
          throw ConfigError.at(
            joinPath(joinPath(path, 'cipher_suites'), i),
            `unknown or unsupported cipher suite "${cs}"`,
          );
        names.push(cs);
      });
      if (names.length) tls12 = names;
    }
    opts.ciphers = goCipherOrder(tls12);
    opts.honorCipherOrder = true;
    if (c.curves?.length) {
      opts.ecdhCurve = c.curves
        .map((cv, i) => {
          const n = CURVES[cv];
          if (!n) throw ConfigError.at(joinPath(joinPath(path, 'curves'), i), `unknown curve "${cv}"`);
          return n;
        })
        .join(':');
    }
    const ca = c.client_authentication;
    this.trustedLeafFingerprints = new Set();
    if (ca) {
      const cap = joinPath(path, 'client_authentication');
      const pems: string[] = [];
      const ders = [
        ...(ca.trusted_ca_certs ?? []),
        ...((ca.ca?.provider === 'inline' ? ca.ca.trusted_ca_certs : undefined) ?? []),
      ];
      for (const d of ders) pems.push(derToPem(d));
      const files = [
        ...(ca.trusted_ca_certs_pem_files ?? []),
        ...((ca.ca?.provider === 'file' ? ca.ca.pem_files : undefined) ?? []),
      ];
      for (const f of files) {
        try {
          pems.push(readFileSync(f, 'utf8'));
        } catch (e) {
          throw ConfigError.at(cap, `cannot read CA file ${f}: ${(e as Error).message}`);
        }
      }
      if (ca.ca && ca.ca.provider !== 'inline' && ca.ca.provider !== 'file')
        throw ConfigError.at(
          joinPath(joinPath(cap, 'ca'), 'provider'),
          `CA pool provider "${ca.ca.provider}" is not supported yet`,
        );
      for (const leaf of ca.trusted_leaf_certs ?? [])
        this.trustedLeafFingerprints.add(new X509Certificate(Buffer.from(leaf, 'base64')).fingerprint256);
      if (pems.length) opts.ca = pems;
      const mode = ca.mode ?? (pems.length || this.trustedLeafFingerprints.size ? 'require_and_verify' : undefined);
      if (mode && !['request', 'require', 'verify_if_given', 'require_and_verify'].includes(mode))
        throw ConfigError.at(joinPath(cap, 'mode'), `unknown client auth mode "${mode}"`);
      this.clientAuth = mode as ClientAuthMode | undefined;
    } else this.clientAuth = undefined;
    this.contextOptions = opts;
    // Policies that only differ in what a context cannot hold (matchers) share contexts; any client CA makes it unique.
    this.key = opts.ca
      ? `ca#${++policySeq}`
      : JSON.stringify([opts.minVersion, opts.maxVersion, opts.ciphers, opts.ecdhCurve]);
  }

  matches(h: { serverName: string | undefined; remoteAddress?: string; localAddress?: string }): boolean {
    return this.tests.every((t) => t(h));
  }
}

function derToPem(b64: string): string {
  const lines = b64.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
