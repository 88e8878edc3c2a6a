/**
 * @module paths: the few POSIX path operations imports and globs need, without `node:path`, so the parser also
 * runs where Node's modules are not there (an editor in a browser). Paths use `/`, as the file systems it reads.
 */

/** Whether a path starts at the root. */
export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** The path with `.`, `..` and repeated or trailing `/` resolved (as `path.posix.normalize`, without a trailing `/`). */
export function normalize(p: string): string {
  const abs = isAbsolute(p);
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

/** `a/b`, normalized. */
export function join(a: string, b: string): string {
  return normalize(`${a}/${b}`);
}

/** `p` as an absolute path, relative ones against `base` (itself absolute, or taken against `cwd`). */
export function resolve(cwd: string, base: string, p: string): string {
  if (isAbsolute(p)) return normalize(p);
  const b = isAbsolute(base) ? base : `${cwd}/${base}`;
  return normalize(`${b}/${p}`);
}

/** The folder part of a path (`path.posix.dirname`). */
export function dirname(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}
