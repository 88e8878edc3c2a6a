/**
 * @module http/h1/go-errors: the bytes Go's net/http server writes when it refuses a request before any
 * handler runs (server.go, conn.serve): no Date, no length, "Connection: close", then the connection ends.
 */

const ERROR_HEADERS = '\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n';

/** A refusal: the status line's code and text and the body, as Go writes them. */
export interface Refusal {
  status: number;
  reason: string;
  body: string;
}

/** Go's statusError: "400 Bad Request: missing required Host header" as both reason and body. */
export function statusError(status: number, text: string, statusText: string): Refusal {
  const reason = `${statusText}: ${text}`;
  return { status, reason, body: `${status} ${reason}` };
}

/** Any other read error: a plain "400 Bad Request" (Go does not echo what was wrong). */
export const BAD_REQUEST: Refusal = { status: 400, reason: 'Bad Request', body: '400 Bad Request' };

/** The request head passed the read limit (MaxHeaderBytes + 4096). */
export const HEADER_TOO_LARGE: Refusal = {
  status: 431,
  reason: 'Request Header Fields Too Large',
  body: '431 Request Header Fields Too Large',
};

/** A Transfer-Encoding other than a single "chunked" (Go does not echo the value back). */
export const UNSUPPORTED_TE: Refusal = {
  status: 501,
  reason: 'Not Implemented',
  body: 'Unsupported transfer encoding',
};

export const MISSING_HOST = statusError(400, 'missing required Host header', 'Bad Request');
export const MALFORMED_HOST = statusError(400, 'malformed Host header', 'Bad Request');

/** The refusal as raw HTTP/1.1 bytes. */
export function refusalBytes(r: Refusal): string {
  return `HTTP/1.1 ${r.status} ${r.reason}${ERROR_HEADERS}${r.body}`;
}
