/**
 * @module options/simple-options: the global options with one-token values or flags (Caddy's
 * `RegisterGlobalOption` with the generic parsers).
 */
import type { ModuleOfKind } from '../module.js';
import {
  parseOptAutoHTTPS,
  parseOptDefaultBind,
  parseOptDuration,
  parseOptOCSPStapling,
  parseOptPersistConfig,
  parseOptPort,
  parseOptRenewalWindowRatio,
  parseOptSingleString,
  parseOptStorageCheck,
  parseOptStorageCleanInterval,
  parseOptTLSResolvers,
  parseOptTrue,
} from './simple.js';

export const DebugOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'debug',
  syntax: 'debug',
  doc: 'Turns on debug logging and shows more detail in errors.',
  parse: parseOptTrue,
};

export const HttpPortOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'http_port',
  syntax: 'http_port <port>',
  doc: 'The port for HTTP (default 80), used for redirects and ACME HTTP challenges.',
  parse: parseOptPort,
};

export const HttpsPortOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'https_port',
  syntax: 'https_port <port>',
  doc: 'The port for HTTPS (default 443).',
  parse: parseOptPort,
};

export const DefaultBindOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'default_bind',
  syntax: 'default_bind <addresses...> { protocols <h1|h2|h2c|h3...> }',
  doc: 'The default addresses to bind site listeners to.',
  subdirectives: [
    { name: 'protocols', syntax: 'protocols <h1|h2|h2c|h3...>', doc: 'The protocols of these listeners.' },
  ],
  parse: parseOptDefaultBind,
};

export const GracePeriodOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'grace_period',
  syntax: 'grace_period <duration>',
  doc: 'How long to wait for active requests to finish on shutdown or reload.',
  parse: parseOptDuration,
};

export const ShutdownDelayOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'shutdown_delay',
  syntax: 'shutdown_delay <duration>',
  doc: 'How long to keep serving after a shutdown starts, before the grace period.',
  parse: parseOptDuration,
};

export const DefaultSniOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'default_sni',
  syntax: 'default_sni <name>',
  doc: 'The server name to assume when a ClientHello has none.',
  parse: parseOptSingleString,
};

export const FallbackSniOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'fallback_sni',
  syntax: 'fallback_sni <name>',
  doc: "The server name to use when no certificate matches the ClientHello's.",
  parse: parseOptSingleString,
};

export const StorageCheckOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'storage_check',
  syntax: 'storage_check off',
  doc: 'Skips the storage check at startup.',
  parse: parseOptStorageCheck,
};

export const StorageCleanIntervalOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'storage_clean_interval',
  syntax: 'storage_clean_interval <duration>|off',
  doc: 'How often to clean expired assets from storage.',
  parse: parseOptStorageCleanInterval,
};

export const RenewIntervalOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'renew_interval',
  syntax: 'renew_interval <duration>',
  doc: 'How often to check certificates for renewal.',
  parse: parseOptDuration,
};

export const OcspIntervalOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'ocsp_interval',
  syntax: 'ocsp_interval <duration>',
  doc: 'How often to check OCSP staples for freshness.',
  parse: parseOptDuration,
};

export const AcmeCaOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'acme_ca',
  syntax: 'acme_ca <directory_url>',
  doc: 'The ACME CA directory for all sites.',
  parse: parseOptSingleString,
};

export const AcmeCaRootOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'acme_ca_root',
  syntax: 'acme_ca_root <pem_file>',
  doc: 'A root certificate to trust for the ACME CA.',
  parse: parseOptSingleString,
};

export const SkipInstallTrustOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'skip_install_trust',
  syntax: 'skip_install_trust',
  doc: "Does not install the local CA's root into the system trust stores.",
  parse: parseOptTrue,
};

export const EmailOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'email',
  syntax: 'email <address>',
  doc: 'The ACME account email.',
  parse: parseOptSingleString,
};

export const LocalCertsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'local_certs',
  syntax: 'local_certs',
  doc: 'Issues every certificate from the local CA instead of a public ACME CA.',
  parse: parseOptTrue,
};

export const KeyTypeOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'key_type',
  syntax: 'key_type ed25519|p256|p384|rsa2048|rsa4096',
  doc: 'The key type of new certificates.',
  parse: parseOptSingleString,
};

export const AutoHttpsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'auto_https',
  syntax: 'auto_https off|disable_redirects|disable_certs|ignore_loaded_certs...',
  doc: 'Turns parts of automatic HTTPS off.',
  parse: parseOptAutoHTTPS,
};

export const OcspStaplingOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'ocsp_stapling',
  syntax: 'ocsp_stapling off',
  doc: 'Turns off OCSP stapling.',
  parse: parseOptOCSPStapling,
};

export const CertLifetimeOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'cert_lifetime',
  syntax: 'cert_lifetime <duration>',
  doc: 'The lifetime of certificates issued by the local CA.',
  parse: parseOptDuration,
};

export const PersistConfigOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'persist_config',
  syntax: 'persist_config off',
  doc: 'Does not save the running config to disk.',
  parse: parseOptPersistConfig,
};

export const TlsResolversOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'tls_resolvers',
  syntax: 'tls_resolvers <resolvers...>',
  doc: 'DNS resolvers for ACME DNS challenges of all sites.',
  parse: parseOptTLSResolvers,
};

export const RenewalWindowRatioOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'renewal_window_ratio',
  syntax: 'renewal_window_ratio <ratio>',
  doc: "The part of a certificate's lifetime left when renewal starts (0 < ratio < 1).",
  parse: parseOptRenewalWindowRatio,
};
