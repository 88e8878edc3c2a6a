/** @module config/pki: the PKI app (`caddypki.PKI`). */
import type { Duration } from './core.js';

/** The PKI app: certificate authorities by ID; "local" is the default internal CA. */
export interface PkiApp {
  /** Certificate authorities keyed by ID. */
  certificate_authorities?: Record<string, PkiCa>;
}

/** A certificate authority (`caddypki.CA`). */
export interface PkiCa {
  /** A user-facing name for the CA. */
  name?: string;
  /** Common name of the root certificate. */
  root_common_name?: string;
  /** Common name of the intermediate certificate. */
  intermediate_common_name?: string;
  /** Lifetime of intermediate certificates. */
  intermediate_lifetime?: Duration;
  /** Whether to install the root into the system trust store. */
  install_trust?: boolean;
  /** A root key pair to use instead of a generated one. */
  root?: PkiKeyPair;
  /** An intermediate key pair to use instead of a generated one. */
  intermediate?: PkiKeyPair;
  /** How often to check whether the intermediate needs renewal. */
  maintenance_interval?: Duration;
  /** Fraction of the lifetime remaining at which to renew. */
  renewal_window_ratio?: number;
  /** A storage module for this CA. */
  storage?: { module: string; [field: string]: unknown };
}

/** A certificate and private key from files (`caddypki.KeyPair`). */
export interface PkiKeyPair {
  /** The certificate file. */
  certificate?: string;
  /** The private key file. */
  private_key?: string;
  /** Encoding format, "pem_file" by default. */
  format?: string;
}
