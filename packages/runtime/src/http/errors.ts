/** @module http/errors: errors handlers return, which trigger the server's error routes. */

/** An HTTP handler error (Caddy's caddyhttp.HandlerError). */
export class HandlerError extends Error {
  constructor(readonly status: number, message?: string, readonly id: string = randomId()) {
    super(message ?? `HTTP ${status}`);
    this.name = 'HandlerError';
  }
}

function randomId(): string {
  return Math.random().toString(36).slice(2, 11);
}

/** Wraps any thrown value as a HandlerError (500 unless it already is one). */
export function asHandlerError(e: unknown): HandlerError {
  if (e instanceof HandlerError) return e;
  return new HandlerError(500, e instanceof Error ? e.message : String(e));
}
