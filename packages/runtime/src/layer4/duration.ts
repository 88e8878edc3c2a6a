/** @module layer4/duration: caddy.Duration (integer nanoseconds or a Go duration string) to milliseconds. */
import { Layer4ConfigError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;

/** Parses a caddy.Duration; `undefined` yields `fallbackMs`. */
export function durationMs(value: unknown, path: string, fallbackMs: number): number {
  if (value === undefined || value === null) return fallbackMs;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value / 1e6;
  if (typeof value === 'string' && value !== '') {
    if (value === '0') return 0;
    let ms = 0;
    PART.lastIndex = 0;
    while (PART.lastIndex < value.length) {
      const start = PART.lastIndex;
      const m = PART.exec(value);
      if (!m || m.index !== start) throw new Layer4ConfigError(path, `invalid duration ${JSON.stringify(value)}`);
      ms += Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
    }
    return ms;
  }
  throw new Layer4ConfigError(path, `invalid duration ${JSON.stringify(value)}`);
}
