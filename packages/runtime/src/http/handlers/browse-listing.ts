/**
 * @module http/handlers/browse-listing: reads a directory into Caddy's browse listing (its browseTemplateContext):
 * entries in directory order, then sorted, offset and limited as browsetplcontext.go's applySortAndLimit does.
 */
import { promises as fsp, type BigIntStats } from 'node:fs';
import * as nodePath from 'node:path';
import { goSort } from '../../util/go-sort.js';
import type { HideCheck } from './file-hide.js';
import { goEscapePath, goFileMode, goPathUnescape } from './browse-format.js';

/** One entry (Caddy's fileInfo). */
export interface FileInfo {
  name: string;
  /** The name as bytes (with the directory slash), which need not be UTF-8. */
  nameBytes: Buffer;
  size: number;
  url: string;
  /** Modification time in ns since the epoch. */
  modNs: bigint;
  mode: number;
  isDir: boolean;
  isSymlink: boolean;
  /** The link's target, with reveal_symlinks. */
  symlinkPath: string | undefined;
}

/** The listing a page or JSON answer is made from. */
export interface Listing {
  /** The last path element, for the title. */
  name: string;
  /** The request path, cleaned. */
  path: string;
  canGoUp: boolean;
  items: FileInfo[];
  offset: number;
  limit: number;
  numDirs: number;
  numFiles: number;
  sort: string;
  order: string;
}

export const SORTS = ['name', 'namedirfirst', 'size', 'time'];

async function statOrUndefined(p: string | Buffer): Promise<BigIntStats | undefined> {
  try {
    return await fsp.stat(p, { bigint: true });
  } catch {
    return undefined;
  }
}

/**
 * Lists `dir` for the (cleaned, decoded) request path `urlPath`, reading at most `max` entries in the order the
 * file system returns them, leaving out hidden ones.
 */
export async function readListing(
  dir: string,
  urlPath: string,
  hidden: HideCheck,
  max: number,
  revealSymlinks: boolean,
): Promise<Listing> {
  const items: FileInfo[] = [];
  let numDirs = 0;
  let numFiles = 0;
  // Names as bytes: a name that is not UTF-8 must still be found on disk (and is shown with U+FFFD, as Go does).
  // Node reads Dir entries with any encoding, 'buffer' included, though its types only name text encodings.
  const handle = await fsp.opendir(dir, { encoding: 'buffer' as BufferEncoding });
  const dirBytes = Buffer.from(dir.endsWith(nodePath.sep) ? dir : dir + nodePath.sep);
  let read = 0;
  try {
    for await (const entry of handle) {
      if (read++ >= max) break;
      const raw = entry.name as unknown as Buffer;
      const abs = Buffer.concat([dirBytes, raw]);
      const entryName = raw.toString('utf8');
      if (hidden(nodePath.join(dir, entryName))) continue;
      let info: BigIntStats;
      try {
        info = await fsp.lstat(abs, { bigint: true });
      } catch {
        continue;
      }
      const isSymlink = info.isSymbolicLink();
      const target = isSymlink ? await statOrUndefined(abs) : undefined;
      const isDir = info.isDirectory() || !!target?.isDirectory();
      const name = isDir ? `${entryName}/` : entryName;
      if (isDir) numDirs++;
      else numFiles++;
      let symlinkPath: string | undefined;
      if (isSymlink && revealSymlinks) {
        try {
          symlinkPath = await fsp.readlink(abs, 'utf8');
        } catch {
          /* unreadable: not shown */
        }
      }
      items.push({
        name,
        nameBytes: Buffer.concat([raw, Buffer.from(isDir ? '/' : '')]),
        size: Number((target ?? info).size),
        url: goEscapePath(Buffer.concat([Buffer.from('./'), raw, Buffer.from(isDir ? '/' : '')])),
        modNs: info.mtimeNs,
        mode: goFileMode(info),
        isDir,
        isSymlink,
        symlinkPath,
      });
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  const unescaped = goPathUnescape(urlPath);
  return {
    name: unescaped === undefined ? '.' : baseName(unescaped),
    path: urlPath,
    canGoUp: urlPath.length > 1,
    items,
    offset: 0,
    limit: 0,
    numDirs,
    numFiles,
    sort: '',
    order: '',
  };
}

/** Go's path.Base. */
function baseName(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  return t === '' ? '/' : t.slice(t.lastIndexOf('/') + 1);
}

const lowerLess = (a: FileInfo, b: FileInfo): boolean => a.name.toLowerCase() < b.name.toLowerCase();

const LESS: Record<string, (a: FileInfo, b: FileInfo) => boolean> = {
  name: lowerLess,
  namedirfirst: (a, b) => (a.isDir === b.isDir ? lowerLess(a, b) : a.isDir),
  // Directories count as size -2^31, so they come first, by name.
  size: (a, b) => {
    if (a.isDir && b.isDir) return lowerLess(a, b);
    return (a.isDir ? -(2 ** 31) : a.size) < (b.isDir ? -(2 ** 31) : b.size);
  },
  time: (a, b) => a.modNs < b.modNs,
};

/** Sorts (unknown sorts leave the order as read), then applies offset and limit when they are in range. */
export function applySortAndLimit(
  l: Listing,
  sort: string,
  order: string,
  limitParam: string,
  offsetParam: string,
): void {
  l.sort = sort;
  l.order = order;
  const less = LESS[sort];
  if (less) goSort(l.items, order === 'desc' ? (a, b) => less(b, a) : less);
  const offset = atoi(offsetParam);
  if (offset > 0 && offset <= l.items.length) {
    l.items = l.items.slice(offset);
    l.offset = offset;
  }
  const limit = atoi(limitParam);
  if (limit > 0 && limit <= l.items.length) {
    l.items = l.items.slice(0, limit);
    l.limit = limit;
  }
}

/** strconv.Atoi, 0 when malformed (as Caddy ignores the error). */
function atoi(s: string): number {
  return /^[+-]?\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : 0;
}
