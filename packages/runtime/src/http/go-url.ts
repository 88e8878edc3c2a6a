/**
 * @module http/go-url: Go's net/url escaping and path cleaning, for rewrites that must leave the request
 * URI exactly as Caddy would (URL.EscapedPath, url.QueryEscape, path.Clean).
 */

const HEX = '0123456789ABCDEF';

/** Go's shouldEscape for the path (encodePath) and query component (encodeQueryComponent) modes. */
function shouldEscape(c: number, mode: 'path' | 'query'): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  switch (c) {
    case 0x2d:
    case 0x5f:
    case 0x2e:
    case 0x7e:
      return false; // - _ . ~
    // $ & + , / : ; = ? @
    case 0x24:
    case 0x26:
    case 0x2b:
    case 0x2c:
    case 0x2f:
    case 0x3a:
    case 0x3b:
    case 0x3d:
    case 0x3f:
    case 0x40:
      return mode === 'path' ? c === 0x3f : true;
  }
  return true;
}

function goEscape(s: string, mode: 'path' | 'query'): string {
  const b = Buffer.from(s);
  let out = '';
  for (const c of b) {
    if (mode === 'query' && c === 0x20) out += '+';
    else if (shouldEscape(c, mode)) out += `%${HEX[c >> 4]}${HEX[c & 15]}`;
    else out += String.fromCharCode(c);
  }
  return out;
}

/** Go's url.QueryEscape (space as "+"). */
export function queryEscape(s: string): string {
  return goEscape(s, 'query');
}

/** Go's goEscape(path, encodePath): what EscapedPath gives for a path without a usable RawPath. */
export function escapePath(decoded: string): string {
  return decoded === '*' ? '*' : goEscape(decoded, 'path');
}

/** Go's validEncoded(s, encodePath): only characters a path may carry as they are, or escapes. */
function validEncodedPath(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if ("!$&'()*+,;=:@[]%".includes(ch)) continue;
    const c = s.charCodeAt(i);
    if (c > 0x7f || shouldEscape(c, 'path')) return false;
  }
  return true;
}

/** Go's url.PathUnescape: undefined for a malformed escape; bytes decoded as UTF-8 (lossy, like node). */
export function pathUnescape(s: string): string | undefined {
  if (!s.includes('%')) return s;
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (m) => Buffer.from(m.replace(/%/g, ''), 'hex').toString());
}

/**
 * Go's URL.EscapedPath for a URL whose RawPath is `raw` and whose Path is `decoded`: the raw form when it
 * is a valid encoding of the path, else the path escaped.
 */
export function escapedPath(raw: string, decoded: string): string {
  // A raw path that does not decode to text (decoded === raw then) is taken as it is, as Go's bytes would be.
  if (raw !== '' && validEncodedPath(raw) && (decoded === raw || pathUnescape(raw) === decoded)) return raw;
  return escapePath(decoded);
}

/** Go's path.Clean. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/**
 * Caddy's CleanPath: path.Clean keeping a trailing slash; with `mergeSlashes` false, empty segments
 * ("//") survive the cleaning.
 */
export function cleanPath(p: string, mergeSlashes: boolean): string {
  const clean = (x: string): string => {
    const c = goClean(x);
    return c !== '/' && x.endsWith('/') ? `${c}/` : c;
  };
  if (mergeSlashes) return clean(p);
  const TMP = '\u{10FFFF}';
  let marked = '';
  for (let i = 0; i < p.length; i++) marked += (p[i] === '/' && i > 0 && p[i - 1] === '/' ? TMP : '') + p[i];
  return clean(marked).split(TMP).join('');
}

/**
 * Go's url.ParseQuery as a list of pairs, in order: pairs split on "&"; a pair with ";" or a malformed
 * escape is dropped (Go reports an error for it and keeps the rest).
 */
export function parseQuery(query: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const pair of query.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const k = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    const v = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
    if (k !== undefined && v !== undefined) out.push([k, v]);
  }
  return out;
}

/** Go's url.QueryUnescape ("+" is a space), undefined for a malformed escape. */
export function queryUnescape(s: string): string | undefined {
  return pathUnescape(s.replace(/\+/g, ' '));
}

/** Go's url.Values.Encode: keys sorted, each value escaped, "k=v" joined with "&". */
export function encodeQuery(values: Map<string, string[]>): string {
  const parts: string[] = [];
  for (const k of [...values.keys()].sort(compareBytes)) {
    for (const v of values.get(k)!) parts.push(`${queryEscape(k)}=${queryEscape(v)}`);
  }
  return parts.join('&');
}

/** Byte-wise string order (Go's sort.Strings), not UTF-16 code unit order. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
