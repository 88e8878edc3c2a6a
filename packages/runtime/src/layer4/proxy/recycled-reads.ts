/**
 * @module layer4/proxy/recycled-reads: reads a plain upstream socket into a buffer it reuses (net's `onread`)
 * instead of a fresh 64 KiB allocation per read, and writes each chunk straight to the client.
 */
import type { OnReadOpts } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** Read buffer size (Node's own per-read allocation is this size too). */
const SIZE = 64 * 1024;
/** A read this large means a bulk transfer: the connection gets a buffer of its own. */
const BULK_READ = 16 * 1024;
/** Small reads in a row after which a connection's own buffer is given up (the transfer is over). */
const SHRINK_AFTER = 64;

/**
 * Every connection's small reads land here and are copied out at once (before any other socket reads), so
 * an idle or chatty connection holds no read buffer of its own.
 */
const SHARED = Buffer.allocUnsafeSlow(SIZE);

/**
 * Why: a proxied bulk stream allocates one ArrayBuffer per read; at hundreds of MB/s that external memory
 * drives V8 into repeated full garbage collections (measured: up to a third of the process' CPU). Small reads
 * go through one shared buffer and are copied (a few bytes from Node's buffer pool). Once reads are large,
 * the connection reads into a buffer of its own, which is reused as long as the client took the previous
 * chunk synchronously (copied to the kernel, or encrypted by TLS); when a write is left pending it keeps that
 * buffer and the next read gets a new one, so no byte is overwritten before it was sent.
 */
export class RecycledReads {
  /** The socket option (`net.connect({ onread })`): reads from the first one on land here. */
  readonly onread: OnReadOpts;
  /** The connection's own buffer while it moves bulk data. */
  private own: Buffer | undefined;
  private smallReads = 0;
  private dest: Writable | undefined;
  private tap: ((chunk: Buffer) => void) | undefined;
  /** Chunks read before a destination was attached (copies). */
  private early: Buffer[] = [];

  constructor() {
    this.onread = {
      buffer: () => this.own ?? SHARED,
      // `buf` is the Buffer the generator above returned
      callback: (n, buf) => this.deliver(buf as Buffer, n),
    };
  }

  /**
   * Starts writing what `source` (the socket dialled with `onread`) reads to `dest`, with backpressure and
   * `dest.end()` at the source's end; `tap` sees every chunk first. Bytes read before are written first.
   */
  attach(source: Readable, dest: Writable, tap?: (chunk: Buffer) => void): void {
    this.dest = dest;
    this.tap = tap;
    let ok = true;
    for (const chunk of this.early.splice(0)) {
      tap?.(chunk);
      ok = dest.write(chunk);
    }
    dest.on('drain', () => source.resume());
    source.once('end', () => dest.end());
    if (ok) source.resume();
    else source.pause();
  }

  /** The onread callback: false pauses reading (until 'drain'). */
  private deliver(buf: Buffer, n: number): boolean {
    const shared = buf === SHARED;
    const chunk = shared ? Buffer.from(buf.subarray(0, n)) : buf.subarray(0, n);
    if (n >= BULK_READ) {
      this.smallReads = 0;
      if (shared) this.own = Buffer.allocUnsafeSlow(SIZE);
    } else if (!shared && ++this.smallReads >= SHRINK_AFTER) {
      this.smallReads = 0;
      this.own = undefined;
    }
    const dest = this.dest;
    if (!dest) {
      this.early.push(shared ? chunk : Buffer.from(chunk));
      return false;
    }
    this.tap?.(chunk);
    const ok = dest.write(chunk);
    // A write still pending holds this memory: read the next chunk into another buffer.
    if (this.own === buf && dest.writableLength > 0) this.own = Buffer.allocUnsafeSlow(SIZE);
    return ok;
  }
}
