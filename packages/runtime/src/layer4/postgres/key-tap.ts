/** @module layer4/postgres/key-tap: watches a backend's first messages for BackendKeyData without copying the stream. */
import type { Readable } from 'node:stream';
import { MAX_CANCEL_KEY } from './messages.js';

/** Bytes examined before giving up (startup messages: auth, parameters, key data, ready-for-query). */
const MAX_SCANNED = 256 * 1024;

/**
 * A scanner for the BackendKeyData ('K') a backend sends during startup: feed it the backend's chunks in order;
 * it calls `onKey` once and returns true when it is done (key seen, ReadyForQuery, an ErrorResponse, or
 * MAX_SCANNED bytes), after which it need not be fed.
 */
export function backendKeyScanner(onKey: (processId: number, secret: Buffer) => void): (chunk: Buffer) => boolean {
  let header = Buffer.alloc(0); // partial message header (type + length) or 'K' body
  let skip = 0; // bytes of the current message body still to skip
  let scanned = 0;
  let keyBodyLength = -1;
  let done = false;
  return (chunk: Buffer): boolean => {
    if (done) return true;
    scanned += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const need = keyBodyLength >= 0 ? 5 + keyBodyLength : 5;
      const take = Math.min(need - header.length, chunk.length - i);
      header = Buffer.concat([header, chunk.subarray(i, i + take)]);
      i += take;
      if (header.length < need) break;
      const type = String.fromCharCode(header[0]!);
      const length = header.readUInt32BE(1);
      // pid + a 4-byte (protocol 3.0) to 256-byte (3.2, PostgreSQL 18) secret key.
      if (type === 'K' && keyBodyLength < 0 && length >= 12 && length <= 8 + MAX_CANCEL_KEY) {
        keyBodyLength = length - 4;
        continue;
      }
      if (type === 'K' && keyBodyLength >= 0) {
        onKey(header.readUInt32BE(5), Buffer.from(header.subarray(9)));
        return (done = true);
      }
      if (type === 'Z' || type === 'E' || length < 4) return (done = true);
      skip = length - 4;
      header = Buffer.alloc(0);
    }
    if (scanned > MAX_SCANNED) done = true;
    return done;
  };
}

/**
 * Calls `onKey` with the BackendKeyData ('K') the backend sends during startup. Listens to 'data' next to an
 * existing pipe and stops at the key, ReadyForQuery, an ErrorResponse, or after MAX_SCANNED bytes.
 */
export function tapBackendKey(upstream: Readable, onKey: (processId: number, secret: Buffer) => void): void {
  const scan = backendKeyScanner(onKey);
  const stop = (): void => {
    upstream.off('data', onData);
  };
  function onData(chunk: Buffer): void {
    if (scan(chunk)) stop();
  }
  upstream.on('data', onData);
  upstream.once('close', stop);
}
