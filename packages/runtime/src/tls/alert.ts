/**
 * @module tls/alert: the fatal alert Go's crypto/tls sends when it cannot go on with a handshake it has read the
 * ClientHello of: internal_error (80), as Caddy's server answers a ClientHello no connection policy takes (its
 * GetConfigForClient fails) or a name it has no certificate for (certmagic's GetCertificate fails). Clients then
 * report "tlsv1 alert internal error" instead of a connection closed mid-handshake.
 */
import type { Duplex } from 'node:stream';

/** Why a handshake is refused, which decides the record version Go writes the alert with. */
export type Refusal =
  /** Before a version is negotiated (GetConfigForClient): Go writes records as TLS 1.0 then. */
  | 'config'
  /** After (GetCertificate): TLS 1.2's record version, which TLS 1.3 records carry too. */
  | 'certificate';

/** A handshake the server refuses; `refusal` says at which step. */
export class HandshakeRefusedError extends Error {
  constructor(
    message: string,
    readonly refusal: Refusal,
  ) {
    super(message);
  }
}

/** The alert record: content type 21, the record version, length 2, level fatal (2), internal_error (80). */
export function internalErrorAlert(refusal: Refusal): Buffer {
  return Buffer.from([0x15, 0x03, refusal === 'config' ? 0x01 : 0x03, 0x00, 0x02, 0x02, 0x50]);
}

/** Sends the alert and closes the connection (destroyed within a second if the peer does not read it). */
export function refuseHandshake(conn: Duplex, refusal: Refusal): void {
  if (conn.destroyed || !conn.writable) {
    conn.destroy();
    return;
  }
  conn.end(internalErrorAlert(refusal), () => conn.destroy());
  setTimeout(() => conn.destroy(), 1000).unref();
}
