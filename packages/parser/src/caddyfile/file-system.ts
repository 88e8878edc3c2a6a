/**
 * @module file-system: what the parser and adapter read files through (imports, import globs, certificate files
 * named in `client_auth`). Node's file system by default; an editor or a test passes its own.
 */
import { resolve } from './paths.js';

/** What a path is, when it exists. */
export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
}

/** The file operations the parser needs. Paths are absolute POSIX paths (resolved by the caller). */
export interface FileSystem {
  /** The file's text (UTF-8); throws an Error (with `code: 'ENOENT'` when it does not exist) otherwise. */
  readFile(path: string): string;
  /** What is at `path`, or undefined when nothing is. */
  stat(path: string): FileStat | undefined;
  /** The names of a folder's entries (any order); throws when it is not a readable folder. */
  readDir(path: string): string[];
  /** The folder relative paths start from (`process.cwd()` for Node's). */
  cwd(): string;
}

/** The error a missing file gives, shaped as Node's (`code: 'ENOENT'`), so messages read the same. */
export function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
}

/** A file system with no files, where Node's is not available. */
const noFiles: FileSystem = {
  readFile: (path) => {
    throw notFound(path);
  },
  stat: () => undefined,
  readDir: (path) => {
    throw notFound(path);
  },
  cwd: () => '/',
};

type NodeFs = typeof import('node:fs');

/**
 * Node's file system, looked up when called rather than imported, so that the package loads (and bundles) where
 * there is no `node:fs`; there it is a file system without files.
 */
export function nodeFileSystem(): FileSystem {
  const proc = globalThis.process as NodeJS.Process | undefined;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  if (!proc || !fs) return noFiles;
  return {
    readFile: (path) => fs.readFileSync(path, 'utf8'),
    stat: (path) => {
      // As `existsSync`: any failure (a NUL in the path, no permission) is "not there".
      let s: ReturnType<typeof fs.statSync>;
      try {
        s = fs.statSync(path, { throwIfNoEntry: false });
      } catch {
        return undefined;
      }
      return s ? { isFile: s.isFile(), isDirectory: s.isDirectory() } : undefined;
    },
    readDir: (path) => fs.readdirSync(path),
    cwd: () => proc.cwd(),
  };
}

let active: FileSystem | undefined;

/**
 * The file system of the `adapt` call in progress (module parsers get no options, so it is set around the
 * synchronous call rather than passed down); Node's outside of one.
 */
export function currentFileSystem(): FileSystem {
  return active ?? nodeFileSystem();
}

/** Runs `fn` with `fs` as the current file system (restoring the previous one after, so calls may nest). */
export function withFileSystem<T>(fs: FileSystem, fn: () => T): T {
  const previous = active;
  active = fs;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Reads a file the config names (relative to the current folder, as Caddy does) from the current file system. */
export function readConfigFile(path: string): string {
  const fs = currentFileSystem();
  return fs.readFile(resolve(fs.cwd(), '.', path));
}
