/** @module http/handlers/browse: directory listings for file_server's `browse` (HTML, or JSON on request). */
import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import type { FileServerHandler } from '../../config/handlers.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import type { HttpRequest } from '../request.js';
import type { ResponseWriter } from '../response.js';

type BrowseConfig = NonNullable<FileServerHandler['browse']>;

/** One listed entry (the JSON shape of Caddy's browse). */
interface Item { name: string; size: number; url: string; mod_time: string; mode: string; is_dir: boolean; is_symlink: boolean }

const SORTS = ['name', 'size', 'time', 'namedirfirst'];

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function modeString(mode: number, dir: boolean): string {
  const bits = 'rwxrwxrwx';
  let out = dir ? 'd' : '-';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}

/** Lists directories; `hidden` says which absolute paths to leave out. */
export class Browser {
  private readonly sortBy: string;
  private readonly order: 'asc' | 'desc';
  constructor(private readonly c: BrowseConfig, path: string) {
    if (c.template_file) throw ConfigError.at(joinPath(path, 'template_file'), 'custom browse templates are not supported yet');
    const [by = 'namedirfirst', order = 'asc'] = c.sort ?? [];
    if (!SORTS.includes(by)) throw ConfigError.at(joinPath(path, 'sort'), `unknown sort "${by}" (${SORTS.join(', ')})`);
    if (order !== 'asc' && order !== 'desc') throw ConfigError.at(joinPath(path, 'sort'), `unknown order "${order}" (asc, desc)`);
    this.sortBy = by;
    this.order = order;
  }

  async serve(r: HttpRequest, w: ResponseWriter, dir: string, hidden: (abs: string) => boolean): Promise<void> {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    const base = r.rawPath.endsWith('/') ? r.rawPath : `${r.rawPath}/`;
    const items: Item[] = [];
    for (const e of entries) {
      const abs = nodePath.join(dir, e.name);
      if (hidden(abs)) continue;
      let st;
      try { st = e.isSymbolicLink() && !this.c.reveal_symlinks ? await fsp.stat(abs) : await fsp.lstat(abs); } catch { continue; }
      const isDir = st.isDirectory();
      items.push({ name: isDir ? `${e.name}/` : e.name, size: st.size, url: `./${encodeURIComponent(e.name)}${isDir ? '/' : ''}`, mod_time: st.mtime.toISOString(), mode: modeString(st.mode, isDir), is_dir: isDir, is_symlink: e.isSymbolicLink() });
    }
    const cmp: Record<string, (a: Item, b: Item) => number> = {
      name: (a, b) => a.name.localeCompare(b.name),
      namedirfirst: (a, b) => (a.is_dir === b.is_dir ? a.name.localeCompare(b.name) : a.is_dir ? -1 : 1),
      size: (a, b) => a.size - b.size,
      time: (a, b) => a.mod_time.localeCompare(b.mod_time),
    };
    items.sort(cmp[this.sortBy]!);
    if (this.order === 'desc') items.reverse();
    const limited = this.c.file_limit && this.c.file_limit > 0 ? items.slice(0, this.c.file_limit) : items;
    if ((r.headers.get('accept') ?? '').includes('application/json')) {
      w.header.set('Content-Type', 'application/json; charset=utf-8');
      w.writeHead(200);
      return w.end(JSON.stringify(limited));
    }
    const rows = limited.map((i) => `<tr><td><a href="${esc(i.url)}">${esc(i.name)}</a></td><td>${i.is_dir ? '&mdash;' : i.size}</td><td>${esc(i.mod_time)}</td></tr>`).join('\n');
    const title = esc(decodeURIComponentSafe(base));
    w.header.set('Content-Type', 'text/html; charset=utf-8');
    w.writeHead(200);
    return w.end(`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body>\n<h1>${title}</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n${base !== '/' ? '<tr><td><a href="../">../</a></td><td></td><td></td></tr>\n' : ''}${rows}\n</table>\n</body></html>\n`);
  }
}

function decodeURIComponentSafe(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
