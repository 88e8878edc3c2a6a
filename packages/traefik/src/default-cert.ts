/**
 * @module default-cert: Traefik's default certificate. When no certificate matches a terminated connection's SNI (or
 * there is no SNI), Traefik answers with its self-signed "TRAEFIK DEFAULT CERT". Here that is a certificate from
 * Caddy's local CA for a reserved name, which terminating connection policies fall back to (`fallback_sni`,
 * `default_sni`): clients that verify fail either way, the others connect, as with Traefik. A configured
 * `tls.stores.default.defaultCertificate` replaces it (tls.ts).
 */
import type { Config, Layer4TlsConnectionPolicy } from '@proxy/contract';

/** `.invalid` (RFC 2606) can never be a real name, so the certificate never shadows one. */
export const DEFAULT_CERT_NAME = 'traefik-default-cert.invalid';

/** A terminating policy that falls back to the default certificate (found by `name`). */
export function withDefaultCert(policy: Layer4TlsConnectionPolicy, name: string): Layer4TlsConnectionPolicy {
  return { ...policy, default_sni: name, fallback_sni: name };
}

/** Adds the default certificate to the tls app: issued by the local CA, which is not installed in trust stores. */
export function addDefaultCert(config: Config): void {
  const apps = (config.apps ??= {});
  const tls = (apps.tls ??= {});
  const certificates = (tls.certificates ??= {});
  certificates.automate = [...(certificates.automate ?? []), DEFAULT_CERT_NAME];
  const automation = (tls.automation ??= {});
  automation.policies = [
    ...(automation.policies ?? []),
    { subjects: [DEFAULT_CERT_NAME], issuers: [{ module: 'internal' }] },
  ];
  // Traefik never touches the system trust store; Caddy's local CA would try to install its root there.
  apps.pki = { certificate_authorities: { local: { install_trust: false } } };
}
