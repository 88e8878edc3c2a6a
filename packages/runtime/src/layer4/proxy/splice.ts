/** @module layer4/proxy/splice: joins a client stream to one or more upstream streams with pipes (backpressure, half-close). */
import type { Duplex } from 'node:stream';
import type { RecycledReads } from './recycled-reads.js';

/**
 * Pipes `down` into every upstream and every upstream into `down` (several upstreams = mirroring: all get
 * the client's bytes, the client gets all their bytes). EOF is propagated as a half-close; an error on any
 * side tears everything down. With `recycled`, the single upstream's bytes come from that reader (its socket
 * was dialled with the reader's onread), and `tap` sees them first. Resolves when every stream has closed.
 */
export function splice(
  down: Duplex,
  ups: Duplex[],
  recycled?: { reads: RecycledReads; tap?: (chunk: Buffer) => void },
): Promise<void> {
  const all = [down, ...ups];
  const closed = all.map(
    (s) =>
      new Promise<void>((resolve) => {
        if (s.destroyed) return resolve();
        s.once('close', () => resolve());
      }),
  );
  const destroyAll = (): void => {
    for (const s of all) s.destroy();
  };
  for (const s of all) s.on('error', destroyAll);
  // A side that closed without an orderly end (reset) takes the others with it.
  for (const s of all)
    s.once('close', () => {
      if (!s.readableEnded || !s.writableFinished) destroyAll();
    });
  // One side already gone (e.g. the client left during the dial): nothing to splice.
  if (all.some((s) => s.destroyed)) destroyAll();
  for (const up of ups) down.pipe(up);
  if (ups.length === 1 && recycled) {
    // the upstream was dialled with the reader's onread: its bytes come through the reader, not the stream
    recycled.reads.attach(ups[0]!, down, recycled.tap);
  } else if (ups.length === 1) {
    ups[0]!.pipe(down);
  } else {
    let ended = 0;
    for (const up of ups) {
      up.pipe(down, { end: false });
      up.once('end', () => {
        if (++ended === ups.length) down.end();
      });
    }
  }
  return Promise.all(closed).then(() => undefined);
}
