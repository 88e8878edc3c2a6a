/** @module config/tls: the TLS app (`caddytls.TLS`), connection policies and issuers. */
import type { Duration } from './core.js';

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
  on_demand?: { ask?: string; permission?: { module: string; endpoint?: string } };
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
  sni_regexp?: { name?: string; pattern: string };
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
