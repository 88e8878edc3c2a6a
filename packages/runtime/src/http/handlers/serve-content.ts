/**
 * @module http/handlers/serve-content: Go's http.ServeContent for file_server: Last-Modified, the RFC 7232
 * preconditions (304/412), byte ranges (206, multipart/byteranges, 416) and HEAD.
 */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { HttpRequest } from '../request.js';
import type { ResponseWriter } from '../response.js';
import { goClean } from '../go-url.js';

/** What ServeContent needs to know about the file it sends. */
export interface Content {
  /** The open file to read the bytes from (a precompressed sidecar, maybe). */
  file: FileHandle;
  size: number;
  /** Modification time in ms; Last-Modified and the date preconditions use whole seconds. */
  mtimeMs: number;
}

type Cond = 'none' | 'true' | 'false';

/** The first entity-tag in `s` (with its W/ prefix, if any) and the rest, like Go's scanETag. */
function scanETag(s: string): [string, string] {
  s = s.trim();
  let start = 0;
  if (s.startsWith('W/')) start = 2;
  if (s.length - start < 2 || s[start] !== '"') return ['', ''];
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return [s.slice(0, i + 1), s.slice(i + 1)];
    if (!(c === 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80)) return ['', ''];
  }
  return ['', ''];
}

const strongMatch = (a: string, b: string): boolean => a === b && a !== '' && a[0] === '"';
const weakMatch = (a: string, b: string): boolean => a.replace(/^W\//, '') === b.replace(/^W\//, '');

/** Walks a list of entity-tags; `*` answers `star`, a match answers `hit`. */
function etagList(
  list: string,
  own: string,
  match: (a: string, b: string) => boolean,
  star: Cond,
  hit: Cond,
  miss: Cond,
): Cond {
  let buf = list;
  for (;;) {
    buf = buf.trim();
    if (buf === '') break;
    if (buf[0] === ',') {
      buf = buf.slice(1);
      continue;
    }
    if (buf[0] === '*') return star;
    const [etag, rest] = scanETag(buf);
    if (etag === '') break;
    if (match(etag, own)) return hit;
    buf = rest;
  }
  return miss;
}

/** An HTTP date (IMF-fixdate, RFC 850 or asctime), in whole seconds; undefined when malformed. */
function parseHttpTime(v: string): number | undefined {
  if (
    !/^[A-Za-z]{3,9}, \d\d[ -][A-Za-z]{3}[ -]\d\d(\d\d)? \d\d:\d\d:\d\d GMT$|^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(
      v,
    )
  )
    return undefined;
  const t = Date.parse(/GMT$/.test(v) ? v : `${v} GMT`);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

interface Range {
  start: number;
  length: number;
}

/** Go's parseRange: undefined for no header, 'invalid' or 'nooverlap' for the two 416 answers. */
function parseRange(s: string, size: number): Range[] | 'invalid' | 'nooverlap' {
  if (!s.startsWith('bytes=')) return 'invalid';
  const out: Range[] = [];
  let noOverlap = false;
  const int = (v: string): number | undefined =>
    /^[+-]?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : undefined;
  for (let ra of s.slice(6).split(',')) {
    ra = ra.trim();
    if (ra === '') continue;
    const dash = ra.indexOf('-');
    if (dash < 0) return 'invalid';
    const a = ra.slice(0, dash).trim();
    const b = ra.slice(dash + 1).trim();
    if (a === '') {
      if (b === '' || b[0] === '-') return 'invalid';
      let n = int(b);
      if (n === undefined || n < 0) return 'invalid';
      if (n > size) n = size;
      out.push({ start: size - n, length: n });
      continue;
    }
    const start = int(a);
    if (start === undefined || start < 0) return 'invalid';
    if (start >= size) {
      noOverlap = true;
      continue;
    }
    if (b === '') {
      out.push({ start, length: size - start });
      continue;
    }
    let end = int(b);
    if (end === undefined || start > end) return 'invalid';
    if (end >= size) end = size - 1;
    out.push({ start, length: end - start + 1 });
  }
  if (noOverlap && out.length === 0) return 'nooverlap';
  return out;
}

const contentRange = (r: Range, size: number): string => `bytes ${r.start}-${r.start + r.length - 1}/${size}`;

/** Whether the client's connection (or HTTP/2 stream) is gone, so that there is no point reading on. */
function clientGone(r: HttpRequest): boolean {
  const raw = r.raw as { stream?: { destroyed: boolean }; socket?: { destroyed: boolean } | null };
  return !!(raw.stream?.destroyed ?? raw.socket?.destroyed);
}

async function copyRange(req: HttpRequest, w: ResponseWriter, file: FileHandle, r: Range): Promise<void> {
  let pos = r.start;
  const end = r.start + r.length;
  while (pos < end) {
    if (clientGone(req)) return;
    const buf = Buffer.allocUnsafe(Math.min(64 * 1024, end - pos));
    const { bytesRead } = await file.read(buf, 0, buf.length, pos);
    // The file shrank while being sent: end the response short rather than pad it.
    if (bytesRead === 0) throw new Error('file shrank while being sent');
    await w.write(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
}

/** Go's http.Error: a plain-text body that ends with a newline; `head` writes the status. */
function plainError(w: ResponseWriter, head: () => void, msg: string): Promise<void> | void {
  w.header.set('Content-Type', 'text/plain; charset=utf-8');
  w.header.set('X-Content-Type-Options', 'nosniff');
  w.header.delete('content-length');
  head();
  return w.end(`${msg}\n`);
}

/**
 * Sends `c` as Go's ServeContent does, with the ETag and Content-Type already in the header. `override`
 * replaces every status it writes (file_server in error routes, or its `status` option), 304 and 206 included,
 * as Caddy's statusOverrideResponseWriter does.
 */
export async function serveContent(r: HttpRequest, w: ResponseWriter, c: Content, override: number): Promise<void> {
  const h = w.header;
  const head = (status: number): void => w.writeHead(override || status);
  const mtime = Math.floor(c.mtimeMs / 1000);
  // The Unix epoch means "unknown" to Go: no Last-Modified and no date preconditions then.
  const known = c.mtimeMs !== 0;
  if (known) h.set('Last-Modified', new Date(mtime * 1000).toUTCString());
  const etag = h.get('etag') ?? '';
  const getOrHead = r.method === 'GET' || r.method === 'HEAD';

  let cond: Cond = 'none';
  const im = r.headers.get('if-match');
  if (im) cond = etagList(im, etag, strongMatch, 'true', 'true', 'false');
  else {
    const ius = r.headers.get('if-unmodified-since');
    const t = ius && known ? parseHttpTime(ius) : undefined;
    if (t !== undefined) cond = mtime <= t ? 'true' : 'false';
  }
  if (cond === 'false') {
    head(412);
    return w.end();
  }

  const inm = r.headers.get('if-none-match');
  const none: Cond = inm ? etagList(inm, etag, weakMatch, 'false', 'false', 'true') : 'none';
  let notModified = false;
  if (none === 'false') {
    if (!getOrHead) {
      head(412);
      return w.end();
    }
    notModified = true;
  } else if (none === 'none' && getOrHead) {
    const ims = r.headers.get('if-modified-since');
    const t = ims && known ? parseHttpTime(ims) : undefined;
    if (t !== undefined && mtime <= t) notModified = true;
  }
  if (notModified) {
    h.delete('content-type');
    h.delete('content-length');
    h.delete('content-encoding');
    if (etag) h.delete('last-modified');
    head(304);
    return w.end();
  }

  let rangeHeader = r.headers.get('range') ?? '';
  const ir = rangeHeader && getOrHead ? r.headers.get('if-range') : undefined;
  if (ir) {
    const [tag] = scanETag(ir);
    const ok = tag ? strongMatch(tag, etag) : parseHttpTime(ir) === mtime;
    if (!ok) rangeHeader = '';
  }

  let ranges: Range[] = [];
  if (rangeHeader) {
    const parsed = parseRange(rangeHeader, c.size);
    if (parsed === 'invalid') return plainError(w, () => head(416), 'invalid range');
    if (parsed === 'nooverlap') {
      h.set('Content-Range', `bytes */${c.size}`);
      return plainError(w, () => head(416), 'invalid range: failed to overlap');
    }
    // More bytes than the file itself: probably an attack, or a dumb client; send the whole file.
    ranges = parsed.reduce((n, ra) => n + ra.length, 0) > c.size ? [] : parsed;
  }

  const type = h.get('content-type') ?? '';
  let status = 200;
  let sendSize = c.size;
  let parts: Array<{ head: string; range: Range }> | undefined;
  let trailer = '';
  if (ranges.length === 1) {
    status = 206;
    sendSize = ranges[0]!.length;
    h.set('Content-Range', contentRange(ranges[0]!, c.size));
  } else if (ranges.length > 1) {
    status = 206;
    const boundary = randomBytes(30).toString('hex');
    parts = ranges.map((ra, i) => ({
      head: `${i ? '\r\n' : ''}--${boundary}\r\nContent-Range: ${contentRange(ra, c.size)}\r\nContent-Type: ${type}\r\n\r\n`,
      range: ra,
    }));
    trailer = `\r\n--${boundary}--\r\n`;
    sendSize = parts.reduce((n, p) => n + Buffer.byteLength(p.head) + p.range.length, 0) + trailer.length;
    h.set('Content-Type', `multipart/byteranges; boundary=${boundary}`);
  }
  h.set('Accept-Ranges', 'bytes');
  // Go leaves Content-Length out when Content-Encoding is set (a precompressed sidecar) and then chunks large
  // ones; the sidecar's size is known, so it is sent.
  h.set('Content-Length', String(sendSize));
  head(status);
  if (r.method === 'HEAD') return w.end();
  if (parts) {
    for (const p of parts) {
      await w.write(p.head);
      await copyRange(r, w, c.file, p.range);
    }
    await w.write(trailer);
  } else {
    await copyRange(r, w, c.file, ranges[0] ?? { start: 0, length: c.size });
  }
  return w.end();
}

const HTML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/**
 * file_server's canonical-URI redirect (308), written as Go's http.Redirect writes it: the path cleaned
 * (keeping a trailing slash), non-ASCII bytes escaped, and a short HTML body for GET. The query is kept, as
 * current Caddy does (2.6.2 dropped it).
 */
export function redirect(r: HttpRequest, w: ResponseWriter, to: string): Promise<void> | void {
  // No "//host" in Location: that would be an open redirect.
  while (to.startsWith('//')) to = to.slice(1);
  const trailing = to.endsWith('/');
  let url = goClean(`/${to}`);
  if (trailing && !url.endsWith('/')) url += '/';
  if (r.query) url += `?${r.query}`;
  // Go escapes non-ASCII bytes in Location only (lower-case hex); the HTML body keeps them.
  const location = Buffer.from(url, 'utf8').reduce(
    (acc, b) => acc + (b >= 0x80 ? `%${b.toString(16)}` : String.fromCharCode(b)),
    '',
  );
  const hadType = w.header.has('content-type');
  w.header.set('Location', location);
  if (!hadType && (r.method === 'GET' || r.method === 'HEAD')) w.header.set('Content-Type', 'text/html; charset=utf-8');
  w.writeHead(308);
  if (hadType || r.method !== 'GET') return w.end();
  return w.end(`<a href="${url.replace(/[&<>"']/g, (ch) => HTML_ESC[ch]!)}">Permanent Redirect</a>.\n\n`);
}
