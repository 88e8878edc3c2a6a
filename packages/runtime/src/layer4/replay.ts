/** @module layer4/replay: a stream that replays bytes read from a connection whose end was already seen. */
import { Duplex } from 'node:stream';

/**
 * A Duplex whose readable side gives `head` and then EOF, and whose writable side writes through to
 * `inner`. Matching may read a client's last bytes together with its FIN (say a ClientHello and a
 * half-close); once `inner` has emitted 'end', unshift() is refused, so those bytes are handed on this way.
 */
export function replayEnded(inner: Duplex, head: readonly Buffer[]): Duplex {
  const d = new Duplex({
    allowHalfOpen: true,
    readableObjectMode: inner.readableObjectMode,
    writableObjectMode: inner.writableObjectMode,
    read() {},
    write(chunk: Buffer, _enc, cb) {
      inner.write(chunk, (err) => cb(err ?? undefined));
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
  for (const chunk of head) d.push(chunk);
  d.push(null);
  inner.on('error', (e) => d.destroy(e));
  inner.on('close', () => {
    if (!d.destroyed) d.destroy();
  });
  return d;
}
