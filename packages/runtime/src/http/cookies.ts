/** @module http/cookies: request cookies read as Go's Request.Cookies reads them. */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The first cookie of that name (case-insensitively, as Caddy compares), as Go's Request.Cookies reads
 * them: quotes around the value removed, cookies with invalid names or values skipped.
 */
export function readCookie(headers: string[], name: string): string | undefined {
  const want = name.toLowerCase();
  for (const h of headers) {
    for (let part of h.split(';')) {
      part = part.trim();
      if (part === '') continue;
      const i = part.indexOf('=');
      const n = i < 0 ? part : part.slice(0, i);
      if (!TOKEN.test(n) || n.toLowerCase() !== want) continue;
      let v = i < 0 ? '' : part.slice(i + 1);
      if (v.length > 1 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      if (/[^\x20-\x7e]|["\\;]/.test(v)) continue;
      return v;
    }
  }
  return undefined;
}
