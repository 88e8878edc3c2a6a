/** @module tls/client-hello: reads a TLS ClientHello off a stream (SNI, ALPN) and puts the bytes back. */
import type { Duplex } from 'node:stream';

/** What the server needs from a ClientHello before choosing a connection policy. */
export interface ClientHelloInfo {
  serverName: string | undefined;
  alpn: string[];
}

/** The first bytes were not a TLS handshake; `head` holds them (to tell plaintext HTTP apart). */
export class NotTlsError extends Error {
  constructor(readonly head: Buffer) { super('not a TLS handshake'); }
}

/** Parses a complete ClientHello handshake message body; undefined when malformed. */
export function parseClientHello(record: Buffer): ClientHelloInfo | undefined {
  // record: TLS record header (5) + handshake header (4) + body
  if (record.length < 9 || record[0] !== 0x16 || record[5] !== 0x01) return undefined;
  let p = 9 + 2 + 32; // version + random
  const need = (n: number) => p + n <= record.length;
  if (!need(1)) return undefined;
  p += 1 + record[p]!; // session id
  if (!need(2)) return undefined;
  p += 2 + record.readUInt16BE(p); // cipher suites
  if (!need(1)) return undefined;
  p += 1 + record[p]!; // compression
  const info: ClientHelloInfo = { serverName: undefined, alpn: [] };
  if (!need(2)) return info;
  const extEnd = Math.min(record.length, p + 2 + record.readUInt16BE(p));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = record.readUInt16BE(p);
    const len = record.readUInt16BE(p + 2);
    const body = record.subarray(p + 4, p + 4 + len);
    p += 4 + len;
    if (type === 0 && body.length >= 5) {
      let q = 2;
      while (q + 3 <= body.length) {
        const nameType = body[q]!;
        const nameLen = body.readUInt16BE(q + 1);
        if (nameType === 0) { info.serverName = body.subarray(q + 3, q + 3 + nameLen).toString('ascii').toLowerCase(); break; }
        q += 3 + nameLen;
      }
    } else if (type === 16 && body.length >= 2) {
      let q = 2;
      while (q < body.length) {
        const l = body[q]!;
        info.alpn.push(body.subarray(q + 1, q + 1 + l).toString('ascii'));
        q += 1 + l;
      }
    }
  }
  return info;
}

/**
 * Reads the first TLS record (the ClientHello) from `conn`, then unshifts everything read so the TLS
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
      if (err) reject(err); else resolve(info!);
    };
    const onData = (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (buf[0] !== 0x16) { done(new NotTlsError(buf.subarray(0, 16))); return; }
      if (buf.length < 5) return;
      const recLen = buf.readUInt16BE(3);
      if (buf.length < 5 + recLen) { if (total > 1 << 16) done(new Error('ClientHello too large')); return; }
      const info = parseClientHello(buf.subarray(0, 5 + recLen));
      if (!info) done(new Error('malformed ClientHello'));
      else done(undefined, info);
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
