/** @module http/errors: errors handlers return, which trigger the server's error routes. */
import { randomInt } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

/** An HTTP handler error (Caddy's caddyhttp.HandlerError). */
export class HandlerError extends Error {
  /** Where the error came from ({http.error.trace}); Caddy names the Go function, file and line. */
  trace = '';
  /** Whether a message was given: without one, the message is the status text (as Caddy's is). */
  private readonly hasMessage: boolean;
  constructor(
    readonly status: number,
    message?: string,
    readonly id: string = randomId(),
  ) {
    super(message ?? statusText(status));
    this.name = 'HandlerError';
    this.hasMessage = message !== undefined;
  }

  /** Caddy's HandlerError.Error(), the value of {http.error}: "{id=ID} TRACE: HTTP 404: message". */
  describe(): string {
    let s = this.id ? `{id=${this.id}}` : '';
    if (this.trace) s += ` ${this.trace}`;
    if (this.status) s += `: HTTP ${this.status}`;
    if (this.hasMessage) s += `: ${this.message}`;
    return s.trim();
  }

  /** Sets the trace and returns the error. */
  from(trace: string): this {
    this.trace = trace;
    return this;
  }
}

/** Caddy's error ids: nine characters from its same-case alphabet. */
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz0123456789';

function randomId(): string {
  let s = '';
  for (let i = 0; i < 9; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return s;
}

/** Wraps any thrown value as a HandlerError (500 unless it already is one). */
export function asHandlerError(e: unknown): HandlerError {
  if (e instanceof HandlerError) return e;
  return new HandlerError(500, e instanceof Error ? e.message : String(e));
}

/** Where Go's http.StatusText differs from node's STATUS_CODES. */
const GO_STATUS_TEXT: Record<number, string> = {
  413: 'Request Entity Too Large',
  414: 'Request URI Too Long',
  416: 'Requested Range Not Satisfiable',
  418: "I'm a teapot",
  509: '',
};

/** Go's http.StatusText: the reason phrase Caddy prints for a status ("" when Go has none). */
export function statusText(status: number): string {
  return GO_STATUS_TEXT[status] ?? STATUS_CODES[status] ?? '';
}
