/** @module errors: the error every adapter stage throws; it carries the token it is about, for the diagnostic's position. */
import type { Token } from '../../caddyfile/token.js';
import type { DiagnosticCode } from '../../diagnostics.js';
import { CaddyfileError } from '../../caddyfile/dispenser.js';

/** An adaptation error with Caddy's message text and, where known, the token it is about and its kind. */
export class AdaptError extends Error {
  constructor(
    message: string,
    readonly token?: Token,
    readonly code?: DiagnosticCode,
  ) {
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

/** The code the thrower gave an error (the dispenser's helpers and the pipeline give one), if any. */
export function codeOf(e: unknown): DiagnosticCode | undefined {
  if (!(e instanceof AdaptError) && !(e instanceof CaddyfileError)) return undefined;
  return e.code;
}

/** Re-throws `e` with `prefix` before its message, keeping its token and code (Go's `fmt.Errorf("prefix%v", err)`). */
export function wrapError(prefix: string, e: unknown, fallback?: Token): AdaptError {
  return new AdaptError(prefix + messageOf(e), tokenOf(e) ?? fallback, codeOf(e));
}
