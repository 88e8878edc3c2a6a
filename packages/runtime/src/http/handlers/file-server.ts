/** @module http/handlers/file-server: `http.handlers.file_server`: static files, index files, precompressed sidecars, browsing. */
import { constants as fsConstants, promises as fsp, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fileServerSchema, type FileServerHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { compileTemplate, type Resolver, type Template } from '../../util/template.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { contentTypeFor, loadMimeTypes } from '../mime.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';
import type { ResponseWriter } from '../response.js';
import { acceptedEncodings } from './accepted-encodings.js';
import { Browser } from './browse.js';
import { compileHide, type HideCheck } from './file-hide.js';
import { originalPath, sameBase, sanitizedJoin } from './file-server-paths.js';
import { redirect, serveContent } from './serve-content.js';
import { compileStatus } from './static-response.js';
import { hasVaryValue } from '../vary.js';

type Next = (r: HttpRequest, w: ResponseWriter) => Promise<void>;

/** Sidecar file extensions of precompressed encodings. */
const SIDECARS: Record<string, string> = { gzip: '.gz', br: '.br', zstd: '.zst' };

/** Caddy's ETag: modification time (whole seconds) and size, in base 36; cheap, and strong enough. */
export function etagOf(st: Stats): string {
  return `"${Math.floor(st.mtimeMs / 1000).toString(36)}${st.size.toString(36)}"`;
}

/** A stat error as Caddy answers it: missing -> not found (or pass_thru), permission -> 403, else 500. */
function statFailure(e: unknown): 'missing' | HandlerError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EINVAL') return 'missing';
  if (code === 'EACCES' || code === 'EPERM') return new HandlerError(403, (e as Error).message);
  return new HandlerError(500, (e as Error).message);
}

class FileServer implements Handler {
  private readonly root: Template;
  private readonly hide: (res: Resolver) => HideCheck;
  private readonly index: Template[];
  private readonly status: ((res: Resolver) => number) | undefined;
  private readonly precompressed: ReadonlySet<string>;
  private readonly precompressedOrder: string[];
  private readonly browser: Browser | undefined;
  private readonly etagFiles: string[];
  constructor(
    private readonly c: FileServerHandler,
    path: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.root = compileTemplate(c.root || '{http.vars.root}', env);
    this.hide = compileHide(c.hide ?? [], env);
    this.index = (c.index_names ?? ['index.html', 'index.txt']).map((n) => compileTemplate(n, env));
    this.status =
      c.status_code !== undefined && c.status_code !== ''
        ? compileStatus(c.status_code, 0, joinPath(path, 'status_code'), env)
        : undefined;
    this.browser = c.browse ? new Browser(c.browse, joinPath(path, 'browse')) : undefined;
    const known = Object.keys(c.precompressed ?? {});
    for (const enc of known)
      if (!SIDECARS[enc])
        throw ConfigError.at(
          joinPath(joinPath(path, 'precompressed'), enc),
          `unknown precompressed encoding "${enc}" (gzip, br, zstd)`,
        );
    this.precompressed = new Set(known);
    this.precompressedOrder = c.precompressed_order ?? [];
    this.etagFiles = c.etag_file_extensions ?? [];
    if (c.fs && c.fs !== 'local')
      throw ConfigError.at(joinPath(path, 'fs'), `file system "${c.fs}" is not supported yet`);
    loadMimeTypes();
  }

  async serve(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> {
    const res = requestResolver(r, w);
    const hidden = this.hide(res);
    const root = this.root.render(res) || '.';
    let filename = sanitizedJoin(root, r.path);
    let st: Stats;
    try {
      st = await fsp.stat(filename);
    } catch (e) {
      const f = statFailure(e);
      if (f === 'missing') return this.notFound(r, w, next);
      throw f;
    }

    let implicitIndex = false;
    if (st.isDirectory()) {
      for (const t of this.index) {
        const indexPath = sanitizedJoin(filename, t.render(res));
        if (hidden(indexPath)) continue;
        try {
          st = await fsp.stat(indexPath);
        } catch {
          continue;
        }
        // The request path is not rewritten: the canonical-URI redirect below needs it as it is.
        filename = indexPath;
        implicitIndex = true;
        break;
      }
    }

    if (st.isDirectory()) {
      if (this.browser && !hidden(filename)) {
        if (!this.methodAllowed(r, w)) throw new HandlerError(405, 'method not allowed');
        return this.browser.serve(r, w, { dir: filename, hidden, notFound: () => this.notFound(r, w, next) });
      }
      return this.notFound(r, w, next);
    }
    // FIFOs, sockets and devices are not served: Caddy would wait on a FIFO forever or read a device endlessly.
    if (hidden(filename) || !st.isFile()) return this.notFound(r, w, next);

    // Directories end in a slash and files do not, or relative links in pages break; only when the last
    // path element was not rewritten, so that a rewrite to the canonical path cannot loop.
    if (this.c.canonical_uris !== false && sameBase(r)) {
      const orig = originalPath(r);
      if (implicitIndex && !orig.endsWith('/')) return redirect(r, w, `${orig}/`);
      if (!implicitIndex && orig.endsWith('/')) return redirect(r, w, orig.slice(0, -1));
    }

    if (!this.methodAllowed(r, w)) throw new HandlerError(405, 'method not allowed');

    // Current Caddy always varies on Accept-Encoding: file responses are often compressed, on the fly or
    // from sidecars, and caches need the key either way (2.6.2 added it only with a sidecar). Once: an
    // encode handler around this one may have said so already.
    if (!hasVaryValue(w.header.values('Vary'), 'Accept-Encoding')) w.header.add('Vary', 'Accept-Encoding');
    let file = filename;
    let etag: string | undefined;
    let size = st.size;
    if (this.precompressed.size) {
      for (const enc of acceptedEncodings(r, this.precompressedOrder)) {
        if (!this.precompressed.has(enc)) continue;
        const side = filename + SIDECARS[enc]!;
        let sst: Stats;
        try {
          sst = await fsp.stat(side);
        } catch {
          continue;
        }
        if (!sst.isFile()) continue;
        w.header.set('Content-Encoding', enc);
        // The sidecar is transparent (type and Last-Modified are the original's), but not its ETag.
        file = side;
        size = sst.size;
        etag = (await this.etagFromFile(side)) || etagOf(sst);
        break;
      }
    }
    etag ??= (await this.etagFromFile(filename)) || etagOf(st);
    let fh: FileHandle;
    // Non-blocking, so that a FIFO cannot hold a thread of the file system pool (and so every request) hostage.
    try {
      fh = await fsp.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    } catch (e) {
      const f = statFailure(e);
      if (f === 'missing') return this.notFound(r, w, next);
      if (f.status === 500) {
        // Perhaps out of file descriptors under load: have the client back off a little.
        w.header.set('Retry-After', String(2 + Math.floor(Math.random() * 3)));
        throw new HandlerError(503, f.message);
      }
      throw f;
    }
    try {
      // Replaced by something else since the stat above.
      if (!(await fh.stat()).isFile()) throw new HandlerError(404, 'not a regular file');
      w.header.set('ETag', etag);
      if (!w.header.has('content-type')) {
        // An unknown type is left out rather than guessed: an empty field keeps the writer from sniffing.
        const type = contentTypeFor(filename);
        w.header.set('Content-Type', type ? [type] : []);
      }
      // In an error route the file answers with the error's status (a custom 404 page is a 404).
      let override = r.error ? (r.error.status > 0 ? r.error.status : 500) : 0;
      if (this.status) override = this.status(res);
      await serveContent(r, w, { file: fh, size, mtimeMs: st.mtimeMs }, override);
    } finally {
      await fh.close();
    }
  }

  /**
   * Only GET and HEAD read files; current Caddy answers others 405 with Allow (2.6.2 served the file).
   * Error routes serve their page whatever the method was.
   */
  private methodAllowed(r: HttpRequest, w: ResponseWriter): boolean {
    if (r.error || r.method === 'GET' || r.method === 'HEAD') return true;
    w.header.set('Allow', 'GET, HEAD');
    return false;
  }

  /** The ETag stored next to the file (etag_file_extensions), newlines removed; '' when there is none. */
  private async etagFromFile(file: string): Promise<string> {
    for (const ext of this.etagFiles) {
      let text: string;
      try {
        text = await fsp.readFile(file + ext, 'utf8');
      } catch (e) {
        if (statFailure(e) === 'missing') continue;
        throw new HandlerError(500, `cannot read etag from file ${file + ext}: ${(e as Error).message}`);
      }
      return text.replace(/\n/g, '');
    }
    return '';
  }

  private notFound(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> {
    if (this.c.pass_thru) return next(r, w);
    throw new HandlerError(404, 'file not found');
  }
}

export const fileServer: RuntimeModule<Handler> = {
  id: 'http.handlers.file_server',
  kind: 'handler',
  doc: 'Serves static files and directory listings.',
  schema: fileServerSchema,
  create: (json, ctx, path) => new FileServer(json as FileServerHandler, path, ctx.env),
};
