/** @module tls/tls-alpn-challenge: ACME tls-alpn-01 (RFC 8737): challenge certificates and the handshakes that present them. */
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { ClientHelloInfo } from './client-hello.js';
import { createSelfSignedLeaf } from './x509.js';
import { x509lib } from './x509-lib.js';

/** The ALPN protocol an ACME server offers when it validates a tls-alpn-01 challenge. */
export const ACME_TLS_ALPN = 'acme-tls/1';
/** id-pe-acmeIdentifier (RFC 8737 section 6.1). */
const ACME_IDENTIFIER_OID = '1.3.6.1.5.5.7.1.31';

/**
 * The challenge certificate for an identifier: self-signed, that name as its only SAN, and the critical
 * acmeIdentifier extension holding the SHA-256 of the key authorization as a DER OCTET STRING.
 */
export async function challengeCertificate(
  identifier: string,
  keyAuthorization: string,
): Promise<{ certPem: string; keyPem: string }> {
  const digest = createHash('sha256').update(keyAuthorization).digest();
  const octetString = Buffer.concat([Buffer.from([0x04, digest.length]), digest]);
  const x509 = await x509lib();
  return createSelfSignedLeaf(
    identifier,
    [new x509.Extension(ACME_IDENTIFIER_OID, true, octetString)],
    7 * 24 * 3_600_000,
  );
}

/** The tls-alpn-01 challenges one tls app is answering, by identifier. */
export class TlsAlpnChallenges {
  private readonly byName = new Map<string, SecureContext>();

  /** Starts answering for the identifier with a certificate for this key authorization. */
  async present(identifier: string, keyAuthorization: string): Promise<void> {
    const pair = await challengeCertificate(identifier, keyAuthorization);
    this.byName.set(identifier.toLowerCase(), createSecureContext({ cert: pair.certPem, key: pair.keyPem }));
  }

  cleanup(identifier: string): void {
    this.byName.delete(identifier.toLowerCase());
  }

  /** The challenge context when the ClientHello offers `acme-tls/1` for a name being validated. */
  contextFor(hello: ClientHelloInfo): SecureContext | undefined {
    if (this.byName.size === 0 || !hello.serverName || !hello.alpn.includes(ACME_TLS_ALPN)) return undefined;
    return this.byName.get(hello.serverName.toLowerCase().replace(/\.$/, ''));
  }
}

/** Completes the handshake with the challenge certificate and ALPN `acme-tls/1`, then closes (no data flows on it). */
export async function answerChallenge(conn: Duplex, secureContext: SecureContext, timeoutMs: number): Promise<void> {
  const sock = new TLSSocket(conn as unknown as import('node:net').Socket, {
    isServer: true,
    secureContext,
    ALPNProtocols: [ACME_TLS_ALPN],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('tls-alpn-01 handshake timeout')), timeoutMs);
      sock.once('secure', () => {
        clearTimeout(timer);
        resolve();
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.once('close', () => {
        clearTimeout(timer);
        reject(new Error('connection closed during tls-alpn-01 handshake'));
      });
    });
  } finally {
    sock.on('error', () => {});
    sock.end();
  }
}
