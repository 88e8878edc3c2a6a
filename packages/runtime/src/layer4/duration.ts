/** @module layer4/duration: a layer4 module's caddy.Duration field, in milliseconds, or a config error at its path. */
import { parseDuration } from '@proxy/contract';
import { Layer4ConfigError } from './errors.js';

/**
 * Parses a caddy.Duration (the contract's rule); `undefined` or null yields `fallbackMs`. A negative duration parses
 * in Caddy but is refused here: caddy-l4 hands several of these to time.NewTicker, which panics on them.
 */
export function durationMs(value: unknown, path: string, fallbackMs: number): number {
  if (value === undefined || value === null) return fallbackMs;
  const ms = parseDuration(value);
  if (ms === undefined || ms < 0) throw new Layer4ConfigError(path, `invalid duration ${JSON.stringify(value)}`);
  return ms;
}
