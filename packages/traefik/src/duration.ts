/** @module duration: Traefik's durations (paerser's `ptypes.Duration`) as Caddy duration strings. */
import type { Field } from './reader.js';

const GO_DURATION = /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A Go duration string (`90s`, `1m30s`) as it is, or a number of seconds (paerser reads a bare integer as seconds);
 * undefined when absent.
 */
export function goDuration(f: Field): string | undefined {
  const v = f.value;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw f.error(`expected a duration, got ${JSON.stringify(v)}`);
    return `${n}s`;
  }
  if (typeof v !== 'string' || (v !== '0' && !GO_DURATION.test(v)))
    throw f.error(`expected a duration like "60s" or "1m30s", got ${JSON.stringify(v)}`);
  return v === '0' ? '0s' : v;
}
