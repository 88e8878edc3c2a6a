/** @module http/handlers/browse: directory listings for file_server's `browse`: Caddy's HTML page, or JSON on request. */
import type { FileServerHandler } from '@proxy/contract';
import { ConfigError, joinPath } from '../../util/errors.js';
import { HandlerError } from '../errors.js';
import type { HttpRequest } from '../request.js';
import type { ResponseWriter } from '../response.js';
import { goJsonBytes, goJsonString, rfc3339Nano } from './browse-format.js';
import { applySortAndLimit, readListing, SORTS, type FileInfo } from './browse-listing.js';
import { renderListingPage } from './browse-template.js';
import type { HideCheck } from './file-hide.js';
import { originalPath, sameBase } from './file-server-paths.js';
import { redirect } from './serve-content.js';
import { goClean } from '../go-url.js';

type BrowseConfig = NonNullable<FileServerHandler['browse']>;

/** What file_server hands over for one directory. */
export interface BrowseTarget {
  /** The directory on disk. */
  dir: string;
  hidden: HideCheck;
  /** Answers "not found" (404, or the next handler with pass_thru). */
  notFound: () => Promise<void>;
}

/** The entries as Caddy's JSON encoder writes them (field order of its fileInfo struct, a trailing newline). */
function toJson(items: FileInfo[]): string {
  const rows = items.map(
    (i) =>
      `{"name":${goJsonBytes(i.nameBytes)},"size":${i.size},"url":${goJsonString(i.url)},"mod_time":"${rfc3339Nano(i.modNs)}",` +
      `"mode":${i.mode},"is_dir":${i.isDir},"is_symlink":${i.isSymlink}${i.symlinkPath ? `,"symlink_path":${goJsonString(i.symlinkPath)}` : ''}}`,
  );
  return `[${rows.join(',')}]\n`;
}

/** The value of a request cookie, as Go's Request.Cookie finds it. */
function cookie(r: HttpRequest, name: string): string | undefined {
  for (const line of r.headers.values('cookie')) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
      let v = part.slice(eq + 1).trim();
      if (v.length > 1 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      if (/^[\x20\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/.test(v)) return v;
    }
  }
  return undefined;
}

/** Lists directories. */
export class Browser {
  private readonly sort: string;
  private readonly order: string;
  private readonly max: number;
  constructor(
    private readonly c: BrowseConfig,
    path: string,
  ) {
    // Caddy runs custom templates with Go's text/template, which this server does not have.
    if (c.template_file)
      throw ConfigError.at(
        joinPath(path, 'template_file'),
        `custom browse template ${c.template_file}: Go templates are not supported; remove it to use the default listing page`,
      );
    // Current Caddy's `sort` option: the default sort field and/or order, overridden by the query and cookies.
    let sort = '';
    let order = '';
    for (const [i, opt] of (c.sort ?? []).slice(0, 2).entries()) {
      if (SORTS.includes(opt)) sort = opt;
      else if (opt === 'asc' || opt === 'desc') order = opt;
      else
        throw ConfigError.at(
          joinPath(joinPath(path, 'sort'), i),
          `unknown sort option "${opt}" (${SORTS.join(', ')}, asc, desc)`,
        );
    }
    this.sort = sort;
    this.order = order;
    // Caddy reads at most 10000 entries; file_limit (current Caddy) sets that number.
    this.max = c.file_limit && c.file_limit > 0 ? c.file_limit : 10000;
  }

  async serve(r: HttpRequest, w: ResponseWriter, t: BrowseTarget): Promise<void> {
    // Relative links need the trailing slash; only redirect when the last element was not rewritten.
    const orig = originalPath(r);
    if ((r.path === '' || sameBase(r)) && !orig.endsWith('/')) return redirect(r, w, `${orig}/`);

    let listing;
    try {
      listing = await readListing(t.dir, goClean(`/${r.path}`), t.hidden, this.max, !!this.c.reveal_symlinks);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return t.notFound();
      throw new HandlerError(code === 'EACCES' || code === 'EPERM' ? 403 : 500, (e as Error).message);
    }

    const q = r.queryParams;
    let sort = q.get('sort') ?? '';
    let order = q.get('order') ?? '';
    const secure = r.scheme === 'https' ? '; Secure' : '';
    if (sort === '') sort = cookie(r, 'sort') ?? (this.sort || 'namedirfirst');
    else if (SORTS.includes(sort)) w.header.add('Set-Cookie', `sort=${sort}${secure}`);
    if (order === '') order = cookie(r, 'order') ?? (this.order || 'asc');
    else if (order === 'asc' || order === 'desc') w.header.add('Set-Cookie', `order=${order}${secure}`);
    applySortAndLimit(listing, sort, order, q.get('limit') ?? '', q.get('offset') ?? '');

    const accept = r.headers.values('accept').join(',').toLowerCase();
    let body: string;
    if (accept.includes('application/json')) {
      body = toJson(listing.items);
      w.header.set('Content-Type', 'application/json; charset=utf-8');
    } else {
      body = renderListingPage(listing);
      w.header.set('Content-Type', 'text/html; charset=utf-8');
    }
    w.writeHead(200);
    // For HEAD the server drops the body, keeping its Content-Length.
    return w.end(body);
  }
}
