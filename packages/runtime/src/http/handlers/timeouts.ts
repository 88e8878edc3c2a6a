/**
 * @module http/handlers/timeouts: `http.handlers.timeouts` (current Caddy; not in 2.6.2): the per-request read and
 * write deadlines Caddy sets through Go's http.ResponseController when the handler starts.
 *
 * - `read_timeout`: reading the request body must end by then; a read past it fails the body with a 408 (Go's
 *   i/o timeout) and the connection closes, since the rest of the body stays unread.
 * - `write_timeout`: the response must be written by then; past it the connection is closed, as a Go write past
 *   its deadline fails and the server drops the connection.
 * - A min rate (bytes per second) moves its deadline later by the time each chunk may take at that rate.
 * - `max_write_chunk` splits larger writes into pieces, so the write deadline is checked between them.
 */
import { Transform, type Readable } from 'node:stream';
import { parseDuration, timeoutsSchema, type TimeoutsHandler } from '@proxy/contract';
import type { Logger } from 'pino';
import type { RuntimeModule } from '../../modules.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { WrappedWriter, type ResponseWriter } from '../response.js';

/** A deadline that a min rate can move and that runs `onExpire` once when it passes. */
class Deadline {
  private at: number;
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private stopped = false;
  constructor(
    ms: number,
    private readonly minRate: number,
    private readonly onExpire: () => void,
  ) {
    this.at = Date.now() + ms;
    this.arm();
  }

  /** Counts `bytes` moved: at a min rate, they buy bytes/rate more seconds. */
  progress(bytes: number): void {
    if (this.done || this.minRate <= 0) return;
    this.at += (bytes * 1000) / this.minRate;
    this.arm();
  }

  /** Whether it passed (a stopped deadline never does). */
  get expired(): boolean {
    return !this.stopped && Date.now() >= this.at;
  }

  stop(): void {
    this.done = true;
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (!Number.isFinite(this.at)) return;
    this.timer = setTimeout(
      () => {
        if (this.done) return;
        if (Date.now() < this.at) {
          this.arm();
          return;
        }
        this.done = true;
        this.onExpire();
      },
      Math.max(0, this.at - Date.now()),
    );
    this.timer.unref();
  }
}

/** Fails the body with a 408 when the deadline passes before it ends. */
function readDeadline(body: Readable, deadline: Deadline, onExpire: (fail: (e: Error) => void) => void): Readable {
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      deadline.progress(chunk.length);
      cb(null, chunk);
    },
    flush(cb) {
      deadline.stop();
      cb();
    },
  });
  t.on('error', () => {});
  body.on('error', (e) => t.destroy(e));
  const fail = (e: Error): void => {
    if (!t.writableFinished) t.destroy(e);
  };
  onExpire(fail);
  // The deadline runs from the handler's start: a body first read after it fails at once.
  if (deadline.expired) process.nextTick(() => fail(new HandlerError(408, 'reading the request body: i/o timeout')));
  return body.pipe(t);
}

/** Splits writes into `chunk`-sized pieces and closes the connection when the write deadline passes. */
class DeadlineWriter extends WrappedWriter {
  constructor(
    inner: ResponseWriter,
    private readonly deadline: Deadline,
    private readonly chunk: number,
  ) {
    super(inner);
  }

  override async write(data: Buffer | string): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const size = this.chunk > 0 ? this.chunk : buf.length || 1;
    for (let off = 0; off < buf.length || off === 0; off += size) {
      if (this.deadline.expired) throw new Error('write deadline exceeded');
      const piece = buf.subarray(off, off + size);
      await super.write(piece);
      this.deadline.progress(piece.length);
      if (buf.length === 0) break;
    }
  }
}

function create(c: TimeoutsHandler, logger: Logger): Handler {
  const readMs = parseDuration(c.read_timeout) ?? 0;
  const writeMs = parseDuration(c.write_timeout) ?? 0;
  return {
    async serve(r, w, next) {
      const stops: Array<() => void> = [];
      if (readMs > 0) {
        let fail: ((e: Error) => void) | undefined;
        const deadline = new Deadline(readMs, c.read_min_rate ?? 0, () => {
          logger.debug({ uri: r.uri }, 'request body read deadline exceeded');
          if (!w.wroteHeader) w.header.set('Connection', 'close');
          fail?.(new HandlerError(408, 'reading the request body: i/o timeout'));
        });
        stops.push(() => deadline.stop());
        r.wrapBody((b) =>
          readDeadline(b, deadline, (f) => {
            fail = f;
          }),
        );
      }
      let writer: ResponseWriter = w;
      if (writeMs > 0 || (c.max_write_chunk ?? 0) > 0) {
        const deadline = new Deadline(writeMs > 0 ? writeMs : Number.POSITIVE_INFINITY, c.write_min_rate ?? 0, () => {
          logger.debug({ uri: r.uri }, 'response write deadline exceeded; closing the connection');
          w.abort();
        });
        stops.push(() => deadline.stop());
        writer = new DeadlineWriter(w, deadline, c.max_write_chunk ?? 0);
      }
      try {
        await next(r, writer);
      } finally {
        for (const stop of stops) stop();
      }
    },
  };
}

export const timeouts: RuntimeModule<Handler> = {
  id: 'http.handlers.timeouts',
  kind: 'handler',
  doc: 'Per-request read and write deadlines (with optional minimum rates and a write chunk size).',
  schema: timeoutsSchema,
  create: (json, ctx) => create(json as TimeoutsHandler, ctx.logger),
};
