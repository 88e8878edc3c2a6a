/** @module layer4/handlers/throttle: `layer4.handlers.throttle` — rate-limits reads per connection and in total. */
import { Duplex, Transform } from 'node:stream';
import type { Layer4ThrottleHandler } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { durationMs } from '../duration.js';
import { Layer4ConfigError } from '../errors.js';
import type { HandlerFactory, Next } from '../types.js';

/** A token bucket; `take` returns how long to wait before the bytes may pass. */
class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(n: number): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }
}

function positive(v: unknown, path: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0)) throw new Layer4ConfigError(path, 'must be a non-negative number');
  return v;
}

export const createThrottleHandler: HandlerFactory = (json, path) => {
  const cfg = json as unknown as Layer4ThrottleHandler;
  const rate = positive(cfg.read_bytes_per_second, `${path}.read_bytes_per_second`);
  const burst = positive(cfg.read_burst_size, `${path}.read_burst_size`) || rate + 1;
  const totalRate = positive(cfg.total_read_bytes_per_second, `${path}.total_read_bytes_per_second`);
  const totalBurst = positive(cfg.total_read_burst_size, `${path}.total_read_burst_size`) || totalRate + 1;
  const latencyMs = durationMs(cfg.latency, `${path}.latency`, 0);
  const total = totalRate > 0 ? new TokenBucket(totalRate, totalBurst) : undefined;
  return {
    async handle(cx: Connection, next: Next) {
      const own = rate > 0 ? new TokenBucket(rate, burst) : undefined;
      let first = true;
      const src = cx.release();
      const throttled = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          let wait = Math.max(own?.take(chunk.length) ?? 0, total?.take(chunk.length) ?? 0);
          if (first) {
            wait += latencyMs;
            first = false;
          }
          if (wait <= 0) cb(null, chunk);
          else setTimeout(() => cb(null, chunk), wait);
        },
      });
      src.pipe(throttled);
      const d = Duplex.from({ readable: throttled, writable: src });
      d.once('close', () => src.destroy());
      src.once('close', () => throttled.destroy());
      await next(cx.wrap(d));
    },
  };
};
