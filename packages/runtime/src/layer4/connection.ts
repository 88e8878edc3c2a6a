/** @module layer4/connection: a connection being routed — its stream, the bytes prefetched for matching, its vars. */
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ConnectionInfo } from '../listener-wrapper.js';
import { MatchingError } from './errors.js';
import { replayEnded } from './replay.js';

/** Most bytes buffered for matching (caddy-l4's MaxMatchingBytes); more means the connection is closed. */
export const MAX_MATCHING_BYTES = 16 * 1024;

const EMPTY = Buffer.alloc(0);

/** What layer4 handlers learned about the stream, carried to the connections they wrap it into. */
export interface ConnectionState {
  /** Set once a layer4 `tls` handler terminated TLS on this connection (innermost handshake). */
  tls?: { serverName: string | undefined; alpn: string | undefined; protocol: string | null };
  /** Set when the stream is known to carry PostgreSQL's protocol. */
  postgres?: {
    /** A `postgres_tls` handler answered the client's SSLRequest with 'S'. */
    sslAnswered: boolean;
    /** The client's TLS (if any) was terminated here, so the bytes are plain PostgreSQL messages. */
    plaintext: boolean;
  };
}

/**
 * A connection being routed. Matchers look at `buffer` (bytes read but not consumed); handlers take the
 * stream with `release()`, which puts those bytes back so the next reader sees the stream from its start.
 */
export class Connection {
  buffer: Buffer = EMPTY;
  readonly vars: Map<string, unknown>;
  private released = false;
  /** The chunks `buffer` was read as: datagrams of a UDP pseudo-connection must be replayed one by one. */
  private frames: Buffer[] = [];

  constructor(
    readonly stream: Duplex,
    readonly info: ConnectionInfo,
    readonly log: Logger,
    readonly state: ConnectionState = {},
    vars?: Map<string, unknown>,
  ) {
    this.vars = vars ?? new Map();
  }

  /** A connection over a new stream (e.g. decrypted TLS) that keeps this one's vars. */
  wrap(stream: Duplex, state: ConnectionState = this.state, info: ConnectionInfo = this.info): Connection {
    return new Connection(stream, info, this.log, state, this.vars);
  }

  /** Reads at least one more chunk into the buffer, waiting no later than `deadline` (a performance.now() value). */
  async prefetch(deadline: number): Promise<void> {
    if (this.buffer.length >= MAX_MATCHING_BYTES) {
      throw new MatchingError('buffer_full', `matching buffer full (${this.buffer.length} bytes)`);
    }
    const chunk = await readChunk(this.stream, deadline - performance.now());
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.frames.push(chunk);
  }

  /** Removes and returns the first `n` bytes, reading more from the stream (until `deadline`) if needed. */
  async consume(n: number, deadline: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      const chunk = await readChunk(this.stream, deadline - performance.now());
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.frames.push(chunk);
    }
    const head = this.buffer.subarray(0, n);
    this.discard(n);
    return head;
  }

  /** Drops `n` buffered bytes (a matcher already saw them). */
  discard(n: number): void {
    this.buffer = this.buffer.length <= n ? EMPTY : this.buffer.subarray(n);
    let left = n;
    while (left > 0 && this.frames.length > 0) {
      const f = this.frames[0]!;
      if (f.length <= left) {
        left -= f.length;
        this.frames.shift();
      } else {
        this.frames[0] = f.subarray(left);
        left = 0;
      }
    }
  }

  /** The buffered bytes as they were read: whole datagrams on a UDP pseudo-connection. */
  get chunks(): readonly Buffer[] {
    return this.frames;
  }

  /** Makes a connection over the same stream that takes over the unconsumed buffered bytes. */
  continueWith(state: ConnectionState, info: ConnectionInfo = this.info): Connection {
    const child = this.wrap(this.stream, state, info);
    child.buffer = this.buffer;
    child.frames = this.frames;
    this.buffer = EMPTY;
    this.frames = [];
    return child;
  }

  /**
   * Hands the stream over: the buffered bytes are pushed back into it, so whoever reads it next gets the
   * bytes matchers peeked at followed by the rest. The connection must not be read through afterwards.
   */
  release(): Duplex {
    if (this.released) throw new Error('layer4 connection released twice');
    this.released = true;
    if (this.buffer.length > 0 && !this.stream.destroyed && this.stream.readableEnded) {
      // The client's FIN came with its last bytes: unshift() is refused after 'end', so replay them.
      const replay = replayEnded(this.stream, this.stream.readableObjectMode ? this.frames : [this.buffer]);
      this.buffer = EMPTY;
      this.frames = [];
      return replay;
    }
    if (this.buffer.length > 0 && !this.stream.destroyed) {
      // unshift prepends: push back the last chunk first. Byte streams take it all in one go.
      if (this.stream.readableObjectMode)
        for (let i = this.frames.length - 1; i >= 0; i--) this.stream.unshift(this.frames[i]);
      else this.stream.unshift(this.buffer);
    }
    this.buffer = EMPTY;
    this.frames = [];
    return this.stream;
  }
}

/** Resolves with the next chunk of a paused stream; rejects with a MatchingError on EOF, error or timeout. */
export function readChunk(stream: Duplex, timeoutMs: number): Promise<Buffer> {
  const ready = stream.read() as Buffer | string | null;
  if (ready !== null) return Promise.resolve(toBuffer(ready));
  if (stream.readableEnded || stream.destroyed) {
    return Promise.reject(new MatchingError('eof', 'connection closed while matching'));
  }
  if (timeoutMs <= 0) return Promise.reject(new MatchingError('timeout', 'aborted matching according to timeout'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new MatchingError('timeout', 'aborted matching according to timeout')),
      timeoutMs,
    );
    const onReadable = (): void => {
      const chunk = stream.read() as Buffer | string | null;
      if (chunk !== null) finish(undefined, toBuffer(chunk));
    };
    const onEnd = (): void => finish(new MatchingError('eof', 'connection closed while matching'));
    const onError = (err: Error): void => finish(new MatchingError('read_error', err.message));
    function finish(err: MatchingError | undefined, chunk?: Buffer): void {
      clearTimeout(timer);
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
      if (err) reject(err);
      else resolve(chunk!);
    }
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
  });
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
}
