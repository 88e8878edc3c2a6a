/** @module listen/js-duplex: a plain JS Duplex over another stream, for consumers that would bypass buffered bytes. */
import { Duplex } from 'node:stream';

/**
 * Wraps `inner` so that reads go through JS 'data' events. node:http2 reads a socket's native handle
 * directly, which skips bytes a listener wrapper has read and pushed back (unshift); over this wrapper
 * it falls back to stream reads and sees them.
 */
export function jsDuplex(inner: Duplex): Duplex {
  const d = new Duplex({
    read() {
      inner.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      inner.write(chunk, cb);
    },
    final(cb) {
      inner.end();
      cb();
    },
    destroy(err, cb) {
      inner.destroy(err ?? undefined);
      cb(err);
    },
  });
  // Errors surface through `inner`'s owner; an unheard 'error' here would crash the process.
  d.on('error', () => {});
  inner.on('data', (c: Buffer) => {
    if (!d.push(c)) inner.pause();
  });
  inner.on('end', () => d.push(null));
  inner.on('error', (e) => d.destroy(e));
  inner.on('close', () => {
    if (!d.destroyed) d.destroy();
  });
  return d;
}
