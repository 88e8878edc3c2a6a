/** @module http/handlers/file-server: `http.handlers.file_server`: static files, index files, precompressed sidecars, browsing. */
import { createReadStream, promises as fsp, type Stats } from 'node:fs';
import * as nodePath from 'node:path';
import type { FileServerHandler } from '../../config/handlers.js';
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { compileTemplate } from '../../util/template.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { cleanPath, globToRegExp } from '../matchers/path.js';
import { contentTypeFor } from '../mime.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';
import type { ResponseWriter } from '../response.js';
import { compileStatus } from './static-response.js';
import { Browser } from './browse.js';

/** Compiles the `hide` list: names without a slash match any path component, others match paths. */
function compileHide(hide: string[]): (abs: string) => boolean {
  const names: RegExp[] = [];
  const paths: RegExp[] = [];
  for (const h of hide) {
    if (!h.includes('/') && !h.includes(nodePath.sep)) names.push(globToRegExp(h));
    else paths.push(globToRegExp(nodePath.resolve(h)));
  }
  return (abs) => {
    if (names.length && abs.split(nodePath.sep).some((part) => names.some((re) => re.test(part)))) return true;
    return paths.some((re) => re.test(abs) || abs.startsWith(re.source.slice(1, -1).replace(/\\/g, '') + '/'));
  };
}

/** Sidecar file extensions of precompressed encodings. */
const SIDECARS: Record<string, string> = { gzip: '.gz', br: '.br', zstd: '.zst' };

function etagOf(st: Stats): string {
  return `"${st.mtimeMs.toString(36).replace('.', '')}${st.size.toString(36)}"`;
}

/** Parses a single "bytes=a-b" range; undefined for none or unsupported, null for unsatisfiable. */
function parseRange(h: string | undefined, size: number): { start: number; end: number } | null | undefined {
  if (!h || !h.startsWith('bytes=') || h.includes(',')) return undefined;
  const [a, b] = h.slice(6).split('-') as [string, string];
  let start: number; let end: number;
  if (a === '') { const n = Number(b); if (!Number.isInteger(n) || n <= 0) return null; start = Math.max(0, size - n); end = size - 1; }
  else { start = Number(a); end = b === '' ? size - 1 : Math.min(Number(b), size - 1); }
  if (!Number.isInteger(start) || !Number.isInteger(end) || start > end || start >= size) return null;
  return { start, end };
}

class FileServer implements Handler {
  private readonly root;
  private readonly hidden;
  private readonly index: string[];
  private readonly status;
  private readonly precompressed: string[];
  private readonly browser: Browser | undefined;
  constructor(private readonly c: FileServerHandler, path: string, env: NodeJS.ProcessEnv) {
    this.root = compileTemplate(c.root ?? '{http.vars.root}', env);
    this.hidden = compileHide(c.hide ?? []);
    this.index = c.index_names ?? ['index.html', 'index.txt'];
    this.status = compileStatus(c.status_code, 0, joinPath(path, 'status_code'), env);
    this.browser = c.browse ? new Browser(c.browse, joinPath(path, 'browse')) : undefined;
    const known = Object.keys(c.precompressed ?? {});
    for (const enc of known) if (!SIDECARS[enc]) throw ConfigError.at(joinPath(joinPath(path, 'precompressed'), enc), `unknown precompressed encoding "${enc}" (gzip, br, zstd)`);
    this.precompressed = c.precompressed_order?.length ? c.precompressed_order.filter((e) => known.includes(e)) : known;
    if (c.fs && c.fs !== 'local') throw ConfigError.at(joinPath(path, 'fs'), `file system "${c.fs}" is not supported yet`);
  }

  async serve(r: HttpRequest, w: ResponseWriter, next: (r: HttpRequest, w: ResponseWriter) => Promise<void>): Promise<void> {
    const res = requestResolver(r, w);
    const root = nodePath.resolve(this.root.render(res) || '.');
    const reqPath = cleanPath(r.path);
    const target = nodePath.join(root, ...reqPath.split('/'));
    if (target !== root && !target.startsWith(root + nodePath.sep)) return this.notFound(r, w, next);
    let st: Stats;
    let file = target;
    try { st = await fsp.stat(target); } catch { return this.notFound(r, w, next); }
    if (st.isDirectory()) {
      let found: Stats | undefined;
      for (const name of this.index) {
        const candidate = nodePath.join(target, name);
        try { const s2 = await fsp.stat(candidate); if (s2.isFile()) { found = s2; file = candidate; break; } } catch { /* try next */ }
      }
      if (this.c.canonical_uris !== false && !r.path.endsWith('/') && (found || this.browser)) return redirect(w, `${r.rawPath}/`, r.query);
      if (!found) {
        if (!this.browser || this.hidden(target)) return this.notFound(r, w, next);
        if (r.method !== 'GET' && r.method !== 'HEAD') { w.header.set('Allow', 'GET, HEAD'); throw new HandlerError(405, 'method not allowed'); }
        return this.browser.serve(r, w, target, this.hidden);
      }
      st = found;
    } else if (this.c.canonical_uris !== false && r.path.endsWith('/') && r.path !== '/') {
      return redirect(w, r.rawPath.replace(/\/+$/, ''), r.query);
    }
    if (this.hidden(file)) return this.notFound(r, w, next);
    if (r.method !== 'GET' && r.method !== 'HEAD') {
      w.header.set('Allow', 'GET, HEAD');
      throw new HandlerError(405, 'method not allowed');
    }
    const status = this.status(res);
    if (this.precompressed.length) {
      w.header.add('Vary', 'Accept-Encoding');
      const pre = await this.findPrecompressed(r, file);
      if (pre) {
        // The sidecar is sent as is; the type is the original file's.
        w.header.set('Content-Type', contentTypeFor(file) ?? 'application/octet-stream');
        w.header.set('Content-Encoding', pre.encoding);
        return this.sendFile(r, w, pre.file, pre.st, status);
      }
    }
    return this.sendFile(r, w, file, st, status);
  }

  /** A precompressed sidecar (file.gz, file.br, file.zst) the client accepts, in the configured order. */
  private async findPrecompressed(r: HttpRequest, file: string): Promise<{ file: string; st: Stats; encoding: string } | undefined> {
    const accepted = new Set((r.headers.get('accept-encoding') ?? '').split(',').map((p) => p.split(';')[0]!.trim().toLowerCase()).filter((p) => p));
    for (const enc of this.precompressed) {
      if (!accepted.has(enc)) continue;
      const side = file + SIDECARS[enc]!;
      try { const st = await fsp.stat(side); if (st.isFile()) return { file: side, st, encoding: enc }; } catch { /* none */ }
    }
    return undefined;
  }

  private async sendFile(r: HttpRequest, w: ResponseWriter, file: string, st: Stats, override: number): Promise<void> {
    const etag = etagOf(st);
    const h = w.header;
    h.set('ETag', etag);
    h.set('Last-Modified', st.mtime.toUTCString());
    h.set('Accept-Ranges', 'bytes');
    if (!h.has('content-type')) h.set('Content-Type', contentTypeFor(file) ?? 'application/octet-stream');
    const inm = r.headers.get('if-none-match');
    const ims = r.headers.get('if-modified-since');
    if (!override && ((inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) ||
      (!inm && ims && Math.floor(st.mtimeMs / 1000) <= Math.floor(Date.parse(ims) / 1000)))) {
      h.delete('content-type');
      w.writeHead(304);
      return w.end();
    }
    let start = 0;
    let end = st.size - 1;
    let status = override || 200;
    const range = override ? undefined : parseRange(r.headers.get('range'), st.size);
    if (range === null) {
      h.set('Content-Range', `bytes */${st.size}`);
      throw new HandlerError(416, 'range not satisfiable');
    }
    if (range) { ({ start, end } = range); status = 206; h.set('Content-Range', `bytes ${start}-${end}/${st.size}`); }
    h.set('Content-Length', String(Math.max(0, end - start + 1)));
    w.writeHead(status);
    if (r.method === 'HEAD' || st.size === 0) return w.end();
    const stream = createReadStream(file, { start, end });
    try {
      for await (const chunk of stream) await w.write(chunk as Buffer);
    } finally { stream.destroy(); }
    return w.end();
  }

  private notFound(r: HttpRequest, w: ResponseWriter, next: (r: HttpRequest, w: ResponseWriter) => Promise<void>): Promise<void> {
    if (this.c.pass_thru) return next(r, w);
    throw new HandlerError(404, 'file not found');
  }
}

function redirect(w: ResponseWriter, to: string, query: string): Promise<void> {
  w.header.set('Location', query ? `${to}?${query}` : to);
  w.writeHead(308);
  return w.end();
}

export const fileServer: ModuleInfo<Handler> = {
  id: 'http.handlers.file_server',
  schema: s.obj({
    fs: s.str, root: s.str, hide: s.strs, index_names: s.strs, canonical_uris: s.bool, status_code: s.intOrStr,
    pass_thru: s.bool, etag_file_extensions: s.strs, precompressed_order: s.strs, precompressed: s.map(s.obj({}, true)),
    browse: s.obj({ template_file: s.str, reveal_symlinks: s.bool, sort: s.strs, file_limit: s.int }),
  }),
  create: (json, ctx, path) => new FileServer(json as FileServerHandler, path, ctx.env),
};
