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
  // One listener per stream and one promise per splice (not one per stream): a proxied connection holds these
  // for as long as it stays open, which is most of the memory it costs beyond its sockets.
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let open = all.length;
  const destroyAll = (): void => {
    for (const s of all) s.destroy();
  };
  function onClose(this: Duplex): void {
    // A side that closed without an orderly end (reset) takes the others with it.
    if (!this.readableEnded || !this.writableFinished) destroyAll();
    if (--open === 0) resolveClosed();
  }
  for (const s of all) {
    s.on('error', destroyAll);
    // A stream already destroyed counts as closed (its 'close' may have been emitted already).
    if (s.destroyed) {
      if (--open === 0) resolveClosed();
    } else s.once('close', onClose);
  }
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
  return closed;
}
