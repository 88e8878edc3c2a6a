/** @module glob: the file side of `import`: glob patterns resolved against the file system. */
import type { FileSystem } from './file-system.js';
import { join, resolve } from './paths.js';

/** Whether the pattern has glob characters (Go's `filepath.Glob` syntax). */
export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Caddy's limit: one `*`, one `?`, or one `[...]` class at most. Returns the error text, if any. */
export function checkGlob(pattern: string): string | undefined {
  const stars = pattern.split('*').length - 1;
  const questions = pattern.split('?').length - 1;
  if (stars > 1 || questions > 1 || (pattern.includes('[') && pattern.includes(']') && (stars > 0 || questions > 0))) {
    return `Glob pattern may only contain one wildcard (*), but has others: ${pattern}`;
  }
  return undefined;
}

function segmentRegExp(segment: string): RegExp {
  let re = '^';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let cls = segment.slice(i + 1, close);
        if (cls.startsWith('^')) cls = '!' + cls.slice(1);
        re += '[' + (cls.startsWith('!') ? '^' + cls.slice(1) : cls).replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/**
 * Expands a pattern (relative to `dir`) to the sorted list of matching absolute file paths. When the last
 * segment starts with `*`, dot files are skipped, as Caddy does.
 */
export function globFiles(pattern: string, dir: string, fs: FileSystem): string[] {
  // A file system that throws on a path it cannot hold (Node's, on a NUL) means there is nothing there.
  const stat = (p: string) => {
    try {
      return fs.stat(p);
    } catch {
      return undefined;
    }
  };
  const abs = resolve(fs.cwd(), dir, pattern);
  if (!hasGlob(abs)) return stat(abs) ? [abs] : [];
  const parts = abs.split('/');
  let bases = ['/'];
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlob(part)) {
        const p = join(base, part);
        if (stat(p)) next.push(p);
        continue;
      }
      let entries: string[] = [];
      try {
        entries = fs.readDir(base).sort();
      } catch {
        continue;
      }
      const re = segmentRegExp(part);
      for (const e of entries) {
        if (last && part.startsWith('*') && e.startsWith('.')) continue;
        if (re.test(e)) next.push(join(base, e));
      }
    }
    bases = next;
  }
  return bases.filter((p) => stat(p)?.isFile === true);
}
