/**
 * @module layer4/proxy/recycled-reads: reads a plain upstream socket into a buffer it reuses (net's `onread`)
 * instead of a fresh 64 KiB allocation per read, and writes each chunk straight to the client.
 */
import type { OnReadOpts } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** First buffer size: enough for a database reply or a greeting, small for idle connections. */
const SMALL = 4 * 1024;
/** Size once a read fills the small buffer: bulk transfers. */
const LARGE = 64 * 1024;
/** Small reads in a row after which a large buffer is given up (the transfer is over). */
const SHRINK_AFTER = 64;

/**
 * Why: a proxied bulk stream allocates one ArrayBuffer per read; at hundreds of MB/s that external memory
 * drives V8 into repeated full garbage collections (measured: up to a third of the process' CPU). Here each
 * upstream socket reads into one buffer of its own, which is reused as long as the client took the previous
 * chunk synchronously (copied to the kernel, or encrypted by TLS); when a write is left pending it keeps
 * that buffer and the next read gets a new one, so no byte is overwritten before it was sent.
 */
export class RecycledReads {
  /** The socket option (`net.connect({ onread })`): reads from the first one on land here. */
  readonly onread: OnReadOpts;
  private buffer: Buffer | undefined;
  private size = SMALL;
  private smallReads = 0;
  private dest: Writable | undefined;
  private tap: ((chunk: Buffer) => void) | undefined;
  /** Chunks read before a destination was attached (copies). */
  private early: Buffer[] = [];

  constructor() {
    this.onread = {
      buffer: () => (this.buffer ??= Buffer.allocUnsafeSlow(this.size)),
      // `buf` is the Buffer the generator above returned
      callback: (n, buf) => this.deliver((buf as Buffer).subarray(0, n), n === buf.length),
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
  private deliver(chunk: Buffer, filled: boolean): boolean {
    const dest = this.dest;
    if (!dest) {
      this.early.push(Buffer.from(chunk));
      return false;
    }
    this.tap?.(chunk);
    const ok = dest.write(chunk);
    // A write still pending holds this memory: read the next chunk into another buffer.
    if (dest.writableLength > 0) this.buffer = undefined;
    this.resize(filled);
    return ok;
  }

  private resize(filled: boolean): void {
    if (filled) {
      this.smallReads = 0;
      if (this.size < LARGE) {
        this.size = LARGE;
        this.buffer = undefined;
      }
    } else if (this.size > SMALL && ++this.smallReads >= SHRINK_AFTER) {
      this.size = SMALL;
      this.smallReads = 0;
      this.buffer = undefined;
    }
  }
}
