/** @module pki: the PKI app (`caddypki.PKI`). */
import type { Duration } from './core.js';
import { s } from './schema.js';

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

const keyPair = s.obj<PkiKeyPair>({ certificate: s.str, private_key: s.str, format: s.str });

/** The schema of the pki app; its CAs are used by the internal issuer. */
export const pkiAppSchema = s.obj<PkiApp>({
  certificate_authorities: s.map(
    s.obj<PkiCa>({
      name: s.str,
      root_common_name: s.str,
      intermediate_common_name: s.str,
      intermediate_lifetime: s.dur,
      install_trust: s.bool,
      root: keyPair,
      intermediate: keyPair,
      maintenance_interval: s.dur,
      renewal_window_ratio: s.num,
      storage: s.any,
    }),
  ),
});
