/** @module tls: the TLS app (`caddytls.TLS`), connection policies and issuers. */
import type { Duration } from './core.js';
import type { MatchRegexp } from './http.js';
import { s, type Fields, type Known, type Own } from './schema.js';

/** The TLS app. */
export interface TlsApp {
  /** Certificate loaders keyed by module name: load_files, load_pem, load_folders, load_storage, automate. */
  certificates?: TlsCertificates;
  /** Certificate automation (issuance and renewal). */
  automation?: TlsAutomation;
  /** Session ticket key management. */
  session_tickets?: { key_source?: { provider: string; [f: string]: unknown }; rotation_interval?: Duration; max_keys?: number; disable_rotation?: boolean; disabled?: boolean };
  /** The in-memory certificate cache. */
  cache?: { capacity?: number };
  /** Disables OCSP stapling for all certificates. */
  disable_ocsp_stapling?: boolean;
  /** Skips the storage sanity check at startup. */
  disable_storage_check?: boolean;
  /** Disables the storage cleaning routine. */
  disable_storage_clean?: boolean;
  /** Encrypted ClientHello settings. */
  encrypted_client_hello?: { configs?: Array<{ public_name?: string }>; publication?: unknown[] };
  /** Default DNS provider for DNS challenges. */
  dns?: { name: string; [f: string]: unknown };
  /** Default DNS resolvers. */
  resolvers?: string[];
}

/** The `certificates` section. */
export interface TlsCertificates {
  /** Certificate/key file pairs. */
  load_files?: CertKeyFilePair[];
  /** Certificate/key PEM pairs given inline. */
  load_pem?: CertKeyPemPair[];
  /** Folders to load PEM bundles from. */
  load_folders?: string[];
  /** Pairs to load from storage. */
  load_storage?: { pairs?: Array<{ certificate: string; key: string; tags?: string[] }> };
  /** Subjects to manage certificates for automatically. */
  automate?: string[];
}

/** A certificate and key in files (`caddytls.CertKeyFilePair`). */
export interface CertKeyFilePair {
  /** Path to the certificate (chain) file. */
  certificate: string;
  /** Path to the private key file. */
  key: string;
  /** Format, "pem" by default. */
  format?: string;
  /** Tags for certificate selection. */
  tags?: string[];
}

/** A certificate and key as PEM text (`caddytls.CertKeyPEMPair`). */
export interface CertKeyPemPair {
  /** The certificate (chain) PEM. */
  certificate: string;
  /** The private key PEM. */
  key: string;
  /** Tags for certificate selection. */
  tags?: string[];
}

/** The `automation` section (`caddytls.AutomationConfig`). */
export interface TlsAutomation {
  /** Automation policies, first matching subject wins. */
  policies?: AutomationPolicy[];
  /** On-demand TLS settings. */
  on_demand?: { ask?: string; permission?: { module: string; endpoint?: string }; rate_limit?: { interval?: Duration; burst?: number } };
  /** How often to check OCSP staples. */
  ocsp_interval?: Duration;
  /** How often to check whether certificates need renewal. */
  renew_interval?: Duration;
  /** How often to clean storage. */
  storage_clean_interval?: Duration;
}

/** An automation policy (`caddytls.AutomationPolicy`). */
export interface AutomationPolicy {
  /** Subjects this policy applies to; empty means all. */
  subjects?: string[];
  /** Issuers to try in order. */
  issuers?: TlsIssuer[];
  /** Certificate managers to ask before issuing. */
  get_certificate?: Array<{ via: string; [f: string]: unknown }>;
  /** Adds the OCSP Must-Staple extension. */
  must_staple?: boolean;
  /** Fraction of lifetime remaining at which to renew. */
  renewal_window_ratio?: number;
  /** Key type: ed25519, p256, p384, rsa2048, rsa4096. */
  key_type?: string;
  /** Storage override for this policy. */
  storage?: { module: string; [f: string]: unknown };
  /** Obtain certificates on demand during handshakes. */
  on_demand?: boolean;
  /** Reuse private keys on renewal. */
  reuse_private_keys?: boolean;
  /** Disables OCSP stapling. */
  disable_ocsp_stapling?: boolean;
  /** OCSP responder overrides. */
  ocsp_overrides?: Record<string, string>;
}

/** An issuer module (`tls.issuance.*`). */
export type TlsIssuer = InternalIssuer | AcmeIssuer | { module: string; [f: string]: unknown };

/** The internal issuer (`tls.issuance.internal`). */
export interface InternalIssuer {
  /** Module name. */
  module: 'internal';
  /** ID of the CA in the pki app to use; default "local". */
  ca?: string;
  /** Certificate lifetime. */
  lifetime?: Duration;
  /** Sign with the root instead of the intermediate. */
  sign_with_root?: boolean;
}

/** The ACME issuer (`tls.issuance.acme`). */
export interface AcmeIssuer {
  /** Module name. */
  module: 'acme';
  /** ACME directory URL. */
  ca?: string;
  /** Test/staging directory URL. */
  test_ca?: string;
  /** Account email. */
  email?: string;
  /** ACME profile. */
  profile?: string;
  /** Account key PEM. */
  account_key?: string;
  /** External account binding. */
  external_account?: { key_id?: string; mac_key?: string };
  /** Timeout for ACME operations. */
  acme_timeout?: Duration;
  /** Challenge settings. */
  challenges?: {
    http?: { disabled?: boolean; alternate_port?: number };
    'tls-alpn'?: { disabled?: boolean; alternate_port?: number };
    dns?: { provider?: { name: string; [f: string]: unknown }; ttl?: Duration; propagation_delay?: Duration; propagation_timeout?: Duration; resolvers?: string[]; override_domain?: string };
    bind_host?: string;
    distributed?: boolean;
  };
  /** PEM files of roots to trust for the ACME server. */
  trusted_roots_pem_files?: string[];
  /** Preferred chains. */
  preferred_chains?: { smallest?: boolean; root_common_name?: string[]; any_common_name?: string[] };
  /** Requested certificate lifetime. */
  certificate_lifetime?: Duration;
  /** Network proxy for ACME requests. */
  network_proxy?: { from: string; [f: string]: unknown };
}

/** A TLS connection policy (`caddytls.ConnectionPolicy`). */
export interface ConnectionPolicy {
  /** Matchers (`tls.handshake_match.*`) keyed by name: sni, remote_ip, local_ip, sni_regexp. */
  match?: HandshakeMatch;
  /** How to choose a certificate. */
  certificate_selection?: { serial_number?: string[]; subject_organization?: string[]; public_key_algorithm?: string; any_tag?: string[]; all_tags?: string[] };
  /** Allowed cipher suites (Go names). */
  cipher_suites?: string[];
  /** Allowed curves. */
  curves?: string[];
  /** ALPN protocols to offer. */
  alpn?: string[];
  /** Minimum protocol version: "tls1.2" or "tls1.3". */
  protocol_min?: string;
  /** Maximum protocol version. */
  protocol_max?: string;
  /** Drop the connection when matched. */
  drop?: boolean;
  /** Client certificate authentication. */
  client_authentication?: ClientAuthentication;
  /** SNI to assume when the client sends none. */
  default_sni?: string;
  /** SNI to use when the client's SNI matches no certificate. */
  fallback_sni?: string;
  /** File to write TLS secrets to (debugging only). */
  insecure_secrets_log?: string;
  /** Handshake context modules. */
  handshake_context?: unknown;
}

/** Handshake matchers of a connection policy. */
export interface HandshakeMatch {
  /** Server names to match. */
  sni?: string[];
  /** Regular expression over the server name. */
  sni_regexp?: MatchRegexp;
  /** Remote IP ranges. */
  remote_ip?: { ranges?: string[]; not_ranges?: string[] };
  /** Local IP ranges. */
  local_ip?: { ranges?: string[] };
  [name: string]: unknown;
}

/** Client authentication (`caddytls.ClientAuthentication`). */
export interface ClientAuthentication {
  /** A CA pool module (`tls.ca_pool.source.*`). */
  ca?: { provider: string; trusted_ca_certs?: string[]; pem_files?: string[]; [f: string]: unknown };
  /** Base64 DER CA certificates to trust (deprecated form). */
  trusted_ca_certs?: string[];
  /** PEM files of trusted CA certificates (deprecated form). */
  trusted_ca_certs_pem_files?: string[];
  /** Base64 DER leaf certificates to accept. */
  trusted_leaf_certs?: string[];
  /** Client certificate verifier modules. */
  verifiers?: unknown[];
  /** request, require, verify_if_given, require_and_verify. */
  mode?: string;
}

/** The schema of a connection policy. */
export const connectionPolicySchema = s.obj<ConnectionPolicy>({
  match: s.modmap('tls.handshake_match'),
  certificate_selection: s.obj({ serial_number: s.strs, subject_organization: s.strs, public_key_algorithm: s.str, any_tag: s.strs, all_tags: s.strs }),
  cipher_suites: s.strs, curves: s.strs, alpn: s.strs, protocol_min: s.str, protocol_max: s.str, drop: s.bool,
  client_authentication: s.obj<ClientAuthentication>({
    ca: s.obj({ provider: s.str, trusted_ca_certs: s.strs, pem_files: s.strs }, true),
    trusted_ca_certs: s.strs, trusted_ca_certs_pem_files: s.strs, trusted_leaf_certs: s.strs, verifiers: s.any, mode: s.str,
  }),
  default_sni: s.str, fallback_sni: s.str, insecure_secrets_log: s.str, handshake_context: s.any,
});

/** The schema of each handshake matcher (`tls.handshake_match.NAME`). */
export const handshakeMatchSchemas = {
  sni: s.strs,
  sni_regexp: s.obj({ name: s.str, pattern: s.str }),
  remote_ip: s.obj({ ranges: s.strs, not_ranges: s.strs }),
  local_ip: s.obj({ ranges: s.strs }),
} satisfies Fields<Known<HandshakeMatch>>;

/** The schema of the tls app. */
export const tlsAppSchema = s.obj<TlsApp>({
  certificates: s.obj<TlsCertificates>({
    load_files: s.arr(s.obj<CertKeyFilePair>({ certificate: s.str, key: s.str, format: s.str, tags: s.strs })),
    load_pem: s.arr(s.obj<CertKeyPemPair>({ certificate: s.str, key: s.str, tags: s.strs })),
    load_folders: s.strs, load_storage: s.any, automate: s.strs,
  }),
  automation: s.obj<TlsAutomation>({
    policies: s.arr(s.obj<AutomationPolicy>({
      subjects: s.strs, issuers: s.arr(s.mod('tls.issuance', 'module')), get_certificate: s.any, must_staple: s.bool,
      renewal_window_ratio: s.num, key_type: s.str, storage: s.any, on_demand: s.bool, reuse_private_keys: s.bool,
      disable_ocsp_stapling: s.bool, ocsp_overrides: s.map(s.str),
    })),
    on_demand: s.obj({ ask: s.str, permission: s.obj({ module: s.str, endpoint: s.str }), rate_limit: s.obj({ interval: s.dur, burst: s.int }) }),
    ocsp_interval: s.dur, renew_interval: s.dur, storage_clean_interval: s.dur,
  }),
  session_tickets: s.any, cache: s.obj({ capacity: s.int }), disable_ocsp_stapling: s.bool, disable_storage_check: s.bool,
  disable_storage_clean: s.bool, encrypted_client_hello: s.any, dns: s.any, resolvers: s.strs,
});

/** The schema of the ACME issuer (`tls.issuance.acme`). */
export const acmeIssuerSchema = s.obj<Own<AcmeIssuer, 'module'>>({
  ca: s.str, test_ca: s.str, email: s.str, profile: s.str, account_key: s.str, external_account: s.any, acme_timeout: s.dur,
  challenges: s.obj({ http: s.obj({ disabled: s.bool, alternate_port: s.int }), 'tls-alpn': s.obj({ disabled: s.bool, alternate_port: s.int }), dns: s.any, bind_host: s.str, distributed: s.bool }),
  trusted_roots_pem_files: s.strs, preferred_chains: s.any, certificate_lifetime: s.dur, network_proxy: s.any,
});

/** The schema of the internal issuer (`tls.issuance.internal`). */
export const internalIssuerSchema = s.obj<Own<InternalIssuer, 'module'>>({ ca: s.str, lifetime: s.dur, sign_with_root: s.bool });
