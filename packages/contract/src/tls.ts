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
  session_tickets?: {
    key_source?: { provider: string; [f: string]: unknown };
    rotation_interval?: Duration;
    max_keys?: number;
    disable_rotation?: boolean;
    disabled?: boolean;
  };
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
  on_demand?: {
    ask?: string;
    permission?: { module: string; endpoint?: string };
    rate_limit?: { interval?: Duration; burst?: number };
  };
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
export type TlsIssuer = InternalIssuer | AcmeIssuer | ZeroSslIssuer | { module: string; [f: string]: unknown };

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
  challenges?: AcmeChallenges;
  /** PEM files of roots to trust for the ACME server. */
  trusted_roots_pem_files?: string[];
  /** Preferred chains. */
  preferred_chains?: ChainPreference;
  /** Requested certificate lifetime. */
  certificate_lifetime?: Duration;
  /** Network proxy for ACME requests. */
  network_proxy?: { from: string; [f: string]: unknown };
}

/** The ACME challenge settings (`caddytls.ChallengesConfig`). */
export interface AcmeChallenges {
  /** The HTTP-01 challenge. */
  http?: { disabled?: boolean; alternate_port?: number };
  /** The TLS-ALPN-01 challenge. */
  'tls-alpn'?: { disabled?: boolean; alternate_port?: number };
  /** The DNS-01 challenge. */
  dns?: DnsChallengeConfig;
  /** The host to bind challenge listeners to. */
  bind_host?: string;
  /** Share challenge solving through storage. */
  distributed?: boolean;
}

/** A TLS connection policy (`caddytls.ConnectionPolicy`). */
export interface ConnectionPolicy {
  /** Matchers (`tls.handshake_match.*`) keyed by name: sni, remote_ip, local_ip, sni_regexp. */
  match?: HandshakeMatch;
  /** How to choose a certificate. */
  certificate_selection?: CertSelection;
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

/** Client authentication as the adapter emits it: its CA pool and verifiers are the known modules. */
export interface AdaptedClientAuthentication extends ClientAuthentication {
  /** A CA pool module (`tls.ca_pool.source.*`). */
  ca?: AdaptedCaPool;
  /** Client certificate verifier modules. */
  verifiers?: AdaptedLeafVerifier[];
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
  /** Client certificate verifier modules (`tls.client_auth.verifier.*`, named by `verifier`). */
  verifiers?: unknown[];
  /** request, require, verify_if_given, require_and_verify. */
  mode?: string;
}

/** The schema of a connection policy. */
export const connectionPolicySchema = s.obj<ConnectionPolicy>({
  match: s.modmap('tls.handshake_match'),
  certificate_selection: s.obj({
    serial_number: s.strs,
    subject_organization: s.strs,
    // `caddy adapt` prints Go's enum number; a name is what Caddy's UnmarshalJSON reads.
    public_key_algorithm: s.oneOf('a key algorithm name or number', s.str, s.int),
    any_tag: s.strs,
    all_tags: s.strs,
  }),
  cipher_suites: s.strs,
  curves: s.strs,
  alpn: s.strs,
  protocol_min: s.str,
  protocol_max: s.str,
  drop: s.bool,
  client_authentication: s.obj<ClientAuthentication>({
    ca: s.obj({ provider: s.str, trusted_ca_certs: s.strs, pem_files: s.strs }, true),
    trusted_ca_certs: s.strs,
    trusted_ca_certs_pem_files: s.strs,
    trusted_leaf_certs: s.strs,
    verifiers: s.any,
    mode: s.str,
  }),
  default_sni: s.str,
  fallback_sni: s.str,
  insecure_secrets_log: s.str,
  handshake_context: s.any,
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
    load_folders: s.strs,
    load_storage: s.any,
    automate: s.strs,
  }),
  automation: s.obj<TlsAutomation>({
    policies: s.arr(
      s.obj<AutomationPolicy>({
        subjects: s.strs,
        issuers: s.arr(s.mod('tls.issuance', 'module')),
        get_certificate: s.any,
        must_staple: s.bool,
        renewal_window_ratio: s.num,
        key_type: s.str,
        storage: s.any,
        on_demand: s.bool,
        reuse_private_keys: s.bool,
        disable_ocsp_stapling: s.bool,
        ocsp_overrides: s.map(s.str),
      }),
    ),
    on_demand: s.obj({
      ask: s.str,
      permission: s.obj({ module: s.str, endpoint: s.str }),
      rate_limit: s.obj({ interval: s.dur, burst: s.int }),
    }),
    ocsp_interval: s.dur,
    renew_interval: s.dur,
    storage_clean_interval: s.dur,
  }),
  session_tickets: s.any,
  cache: s.obj({ capacity: s.int }),
  disable_ocsp_stapling: s.bool,
  disable_storage_check: s.bool,
  disable_storage_clean: s.bool,
  encrypted_client_hello: s.any,
  dns: s.any,
  resolvers: s.strs,
});

/** The schema of the ACME issuer (`tls.issuance.acme`). */
export const acmeIssuerSchema = s.obj<Own<AcmeIssuer, 'module'>>({
  ca: s.str,
  test_ca: s.str,
  email: s.str,
  profile: s.str,
  account_key: s.str,
  external_account: s.any,
  acme_timeout: s.dur,
  challenges: s.obj({
    http: s.obj({ disabled: s.bool, alternate_port: s.int }),
    'tls-alpn': s.obj({ disabled: s.bool, alternate_port: s.int }),
    dns: s.any,
    bind_host: s.str,
    distributed: s.bool,
  }),
  trusted_roots_pem_files: s.strs,
  preferred_chains: s.any,
  certificate_lifetime: s.dur,
  network_proxy: s.any,
});

/** The schema of the internal issuer (`tls.issuance.internal`). */
export const internalIssuerSchema = s.obj<Own<InternalIssuer, 'module'>>({
  ca: s.str,
  lifetime: s.dur,
  sign_with_root: s.bool,
});

/**
 * The issuers the Caddyfile adapter emits: the known issuer modules, without the open `{ module: string }`
 * member of `TlsIssuer`, so an adapter that writes a field the contract lacks fails to compile.
 */
export type AdaptedTlsIssuer = InternalIssuer | AcmeIssuer | ZeroSslIssuer;

/** A DNS challenge configuration (`caddytls.DNSChallengeConfig`). */
export interface DnsChallengeConfig {
  /** The DNS provider module (`dns.providers.*`), named by `name`. */
  provider?: MockDnsProvider | { name: string; [f: string]: unknown };
  /** TTL of the TXT record. */
  ttl?: Duration;
  /** How long to wait before checking propagation. */
  propagation_delay?: Duration;
  /** How long to wait for propagation; -1 disables the check. */
  propagation_timeout?: Duration;
  /** Resolvers for the propagation check. */
  resolvers?: string[];
  /** Domain to delegate the challenge to. */
  override_domain?: string;
}

/** The ZeroSSL API issuer (`tls.issuance.zerossl`; API-based in current Caddy, not implemented by the runtime). */
export interface ZeroSslIssuer {
  /** Module name. */
  module: 'zerossl';
  /** ZeroSSL API key. */
  api_key?: string;
  /** Certificate validity in days. */
  validity_days?: number;
  /** Alternate port for HTTP validation. */
  alt_http_port?: number;
  /** DNS validation settings. */
  dns?: DnsChallengeConfig;
  /** CNAME validation settings. */
  cname_validation?: DnsChallengeConfig;
}

/** ACME preferred chains (`caddytls.ChainPreference`). */
export interface ChainPreference {
  /** Prefer the smallest chain. */
  smallest?: boolean;
  /** Prefer chains whose root has one of these common names. */
  root_common_name?: string[];
  /** Prefer chains with any certificate of these common names. */
  any_common_name?: string[];
}

/** A certificate's selection criteria (`caddytls.CustomCertSelectionPolicy`). */
export interface CertSelection {
  /** Serial numbers (decimal). */
  serial_number?: string[];
  /** Subject organizations. */
  subject_organization?: string[];
  /** Public key algorithm: Go's `x509.PublicKeyAlgorithm` number, or its name. */
  public_key_algorithm?: number | string;
  /** Any of these tags. */
  any_tag?: string[];
  /** All of these tags. */
  all_tags?: string[];
}

/** The CA pool sources the adapter emits (`tls.ca_pool.source.*`), named by `provider`. */
export type AdaptedCaPool =
  | { provider: 'inline' /** Base64 DER CA certificates. */; trusted_ca_certs?: string[] }
  | { provider: 'file' /** PEM files of CA certificates. */; pem_files?: string[] }
  | { provider: 'pki_root' | 'pki_intermediate' /** IDs of pki app CAs. */; authority?: string[] }
  | { provider: 'system' }
  | { provider: 'combined' /** The pools to combine. */; sources?: AdaptedCaPool[] }
  | { provider: 'http' /** URLs serving PEM certificates. */; endpoints?: string[]; tls?: CaPoolHttpTls }
  | {
      provider: 'storage';
      /** The storage module (`caddy.storage.*`), named by `module`. */
      storage?: { module: string; [f: string]: unknown };
      /** Storage keys of PEM certificates. */
      pem_keys?: string[];
    };

/** How the `http` trust pool source fetches its endpoints over TLS (`caddytls.TLSConfig`). */
export interface CaPoolHttpTls {
  /** The CA pool that verifies the endpoints. */
  ca?: AdaptedCaPool;
  insecure_skip_verify?: boolean;
  handshake_timeout?: Duration;
  server_name?: string;
  /** never, once or freely. */
  renegotiation?: string;
}

/** A loader of leaf certificates for the `leaf` verifier (`tls.leaf_cert_loader.*`), named by `loader`. */
export type LeafCertLoader =
  | { loader: 'file' /** PEM files. */; files?: string[] }
  | { loader: 'folder' /** Folders of PEM files. */; folders?: string[] };

/** The client certificate verifiers the adapter emits (`tls.client_auth.verifier.*`), named by `verifier`. */
export type AdaptedLeafVerifier =
  | {
      verifier: 'leaf' /** Where to load the accepted leaf certificates from. */;
      leaf_certs_loaders?: LeafCertLoader[];
    }
  | { verifier: 'dummy' };

/** Caddy's test DNS provider (`dns.providers.mock`). */
export interface MockDnsProvider {
  /** Module name. */
  name: 'mock';
  /** An argument, unused. */
  argument?: string;
}

/** File system storage (`caddy.storage.file_system`). */
export interface FileStorage {
  /** Module name. */
  module: 'file_system';
  /** The storage folder. */
  root?: string;
}

/** On-demand TLS permission by HTTP request (`tls.permission.http`). */
export interface HttpPermission {
  /** Module name. */
  module: 'http';
  /** The endpoint asked with `?domain=`; 200 allows. */
  endpoint?: string;
}

/** The certificate managers the adapter emits (`tls.get_certificate.*`), named by `via`. */
export type AdaptedCertGetter =
  | { via: 'http' /** The URL asked for certificates. */; url?: string }
  | { via: 'tailscale' };

/** `Own` for each member of a union of modules: the fields besides the one that names the module. */
export type OwnFields<T, Key extends string> = T extends unknown ? Omit<Known<T>, Key> : never;
