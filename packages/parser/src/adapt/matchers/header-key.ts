/** @module header-key: Go's `textproto.CanonicalMIMEHeaderKey` (`content-type` → `Content-Type`). */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The canonical form of a header name; names with invalid characters are returned unchanged. */
export function canonicalHeaderKey(s: string): string {
  if (!TOKEN.test(s)) return s;
  let upper = true;
  let out = '';
  for (const c of s) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}
