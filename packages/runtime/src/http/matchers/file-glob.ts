/** @module http/matchers/file-glob: Go's filepath.Glob for try_files patterns (synchronous, as matchers are). */
import { readdirSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { globToRegExp } from './path.js';

const META = /[*?[\\]/;

/** Escapes glob characters in a placeholder's value, so that request data cannot expand into a glob. */
export function globEscape(v: string): string {
  return v.replace(/[*?[]/g, '\\$&');
}

/** filepath.Glob: the existing paths matching `pattern`, each directory's names in sorted order. */
export function glob(pattern: string): string[] {
  if (!META.test(pattern)) {
    try {
      statSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  let dir = nodePath.dirname(pattern);
  const file = pattern.slice(pattern.lastIndexOf('/') + 1);
  if (dir.length > 1 && dir.endsWith('/')) dir = dir.slice(0, -1);
  const dirs = META.test(dir) ? glob(dir) : [dir];
  const re = globToRegExp(file);
  const out: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      if (!statSync(d).isDirectory()) continue;
      names = readdirSync(d).sort();
    } catch {
      continue;
    }
    for (const n of names) if (re.test(n)) out.push(nodePath.join(d, n));
  }
  return out;
}
