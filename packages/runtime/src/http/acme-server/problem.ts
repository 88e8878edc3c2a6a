/** @module http/acme-server/problem: ACME errors (RFC 8555 section 6.7) as thrown values with their HTTP status. */
import type { Problem } from './state.js';

const NS = 'urn:ietf:params:acme:error:';

/** A request the ACME server refuses; the handler answers it with a problem document. */
export class AcmeError extends Error {
  constructor(
    /** The error type without its namespace, e.g. "badNonce". */
    readonly type: string,
    detail: string,
    readonly status = 400,
  ) {
    super(detail);
  }

  /** The problem document; the HTTP status is not repeated in it, as smallstep's are not. */
  get problem(): Problem {
    return { type: NS + this.type, detail: this.message };
  }
}

/** A problem document for an error found while validating a challenge. */
export function problem(type: string, detail: string, status = 400): Problem {
  return { type: NS + type, detail, status };
}
