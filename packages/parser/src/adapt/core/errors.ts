/** @module errors: the error every adapter stage throws; it carries the token it is about, for the diagnostic's position. */
import type { Token } from '../../caddyfile/token.js';

/** An adaptation error with Caddy's message text and, where known, the token it is about. */
export class AdaptError extends Error {
  constructor(message: string, readonly token?: Token) {
    super(message);
    this.name = 'AdaptError';
  }
}

/** The message of anything thrown (errors from dispensers, adapters, or plain values). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The token an error is about, if it carries one. */
export function tokenOf(e: unknown): Token | undefined {
  const t = (e as { token?: Token } | null)?.token;
  return t && typeof t === 'object' && 'range' in t ? t : undefined;
}

/** Re-throws `e` with `prefix` before its message, keeping its token (Go's `fmt.Errorf("prefix%v", err)`). */
export function wrapError(prefix: string, e: unknown, fallback?: Token): AdaptError {
  return new AdaptError(prefix + messageOf(e), tokenOf(e) ?? fallback);
}
