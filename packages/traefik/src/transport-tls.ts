/**
 * @module transport-tls: what HTTP and TCP servers transports read the same way for dialling servers over TLS:
 * Traefik's FileOrContent values and the client certificate.
 */
import type { Field } from './reader.js';

/** Traefik's FileOrContent: inline PEM when it looks like PEM, else a file path. */
export const isPem = (s: string): boolean => s.includes('-----BEGIN');

/** The transport's client certificate (`certificates`, at most one, as files); undefined when none is given. */
export function readClientCertificate(certificates: Field | undefined): { cert: string; key: string } | undefined {
  const certs = certificates?.items() ?? [];
  if (certs.length > 1) throw certificates!.error('only one client certificate is supported');
  let out: { cert: string; key: string } | undefined;
  for (const c of certs) {
    const ck = c.object(['certFile', 'keyFile'], 'a client certificate');
    const cert = ck['certFile']?.string();
    const key = ck['keyFile']?.string();
    if (!cert || !key) throw c.error('a client certificate needs certFile and keyFile');
    if (isPem(cert) || isPem(key)) throw c.error('inline client certificates are not supported yet: use files');
    out = { cert, key };
  }
  return out;
}
