/** @module memory-file-system: a FileSystem over a map of path -> text (an editor's open files, a test's fixtures). */
import { notFound, type FileSystem } from './file-system.js';
import { normalize, resolve } from './paths.js';

/** A read-only file system holding `files` (absolute paths, or paths relative to `cwd`); folders are implied. */
export function memoryFileSystem(files: Readonly<Record<string, string>>, cwd = '/'): FileSystem {
  const texts = new Map<string, string>();
  const dirs = new Map<string, Set<string>>();
  for (const [p, text] of Object.entries(files)) {
    const abs = resolve(cwd, '.', p);
    texts.set(abs, text);
    let child = abs;
    for (let i = abs.lastIndexOf('/'); child !== '/'; i = child.lastIndexOf('/')) {
      const dir = i === 0 ? '/' : child.slice(0, i);
      let entries = dirs.get(dir);
      if (!entries) dirs.set(dir, (entries = new Set()));
      entries.add(child.slice(i + 1));
      child = dir;
    }
  }
  return {
    readFile: (path) => {
      const text = texts.get(normalize(path));
      if (text === undefined) throw notFound(path);
      return text;
    },
    stat: (path) => {
      const p = normalize(path);
      if (texts.has(p)) return { isFile: true, isDirectory: false };
      return dirs.has(p) || p === '/' ? { isFile: false, isDirectory: true } : undefined;
    },
    readDir: (path) => {
      const entries = dirs.get(normalize(path));
      if (!entries) throw notFound(path);
      return [...entries];
    },
    cwd: () => normalize(cwd),
  };
}
