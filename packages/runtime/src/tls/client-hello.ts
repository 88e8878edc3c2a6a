/** @module tls/client-hello: reads a TLS ClientHello (util/client-hello) off a stream and puts the bytes back. */
import type { Duplex } from 'node:stream';
import { parseClientHelloRecords, type ClientHello } from '../util/client-hello.js';

/** What the server needs from a ClientHello before choosing a connection policy. */
export interface ClientHelloInfo {
  serverName: string | undefined;
  alpn: string[];
}

/** The first bytes were not a TLS handshake; `head` holds them (to tell plaintext HTTP apart). */
export class NotTlsError extends Error {
  constructor(readonly head: Buffer) {
    super('not a TLS handshake');
  }
}

/** Go's crypto/tls maxHandshake: the largest handshake message a server reads. */
const MAX_HELLO = 65536;

/** Parses a complete ClientHello (its TLS records); undefined when malformed or incomplete. */
export function parseClientHello(records: Buffer): ClientHelloInfo | undefined {
  const hello = parseClientHelloRecords(records, MAX_HELLO);
  return hello === null || hello === 'more' ? undefined : infoOf(hello);
}

function infoOf(hello: ClientHello): ClientHelloInfo {
  return { serverName: hello.serverName === '' ? undefined : hello.serverName, alpn: hello.alpn };
}

/**
 * Reads the ClientHello (the records it spans) from `conn`, then unshifts everything read so the TLS
 * layer sees the stream from its start. Rejects on timeout, EOF or bytes that are not TLS.
 */
export function peekClientHello(conn: Duplex, timeoutMs: number): Promise<ClientHelloInfo> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (err: Error | undefined, info?: ClientHelloInfo) => {
      clearTimeout(timer);
      conn.off('data', onData);
      conn.off('end', onEnd);
      conn.off('error', onErr);
      conn.pause();
      if (chunks.length) conn.unshift(Buffer.concat(chunks));
      if (err) reject(err);
      else resolve(info!);
    };
    const onData = (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (buf[0] !== 0x16) {
        done(new NotTlsError(buf.subarray(0, 16)));
        return;
      }
      const hello = parseClientHelloRecords(buf, MAX_HELLO);
      if (hello === 'more') {
        if (total > 2 * MAX_HELLO) done(new Error('ClientHello too large'));
        return;
      }
      if (hello === null) done(new Error('malformed ClientHello'));
      else done(undefined, infoOf(hello));
    };
    const onEnd = () => done(new Error('connection closed before ClientHello'));
    const onErr = (e: Error) => done(e);
    const timer = setTimeout(() => done(new Error('timeout waiting for ClientHello')), timeoutMs);
    conn.on('data', onData);
    conn.once('end', onEnd);
    conn.once('error', onErr);
    conn.resume();
  });
}
