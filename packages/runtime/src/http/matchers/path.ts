/** @module http/matchers/path: `http.matchers.path`: case-insensitive paths with * prefix/suffix/glob. */
import type { RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import { escapedPath } from '../go-url.js';
import { compileEscapedPattern } from './path-escaped.js';
import { httpMatcherSchemas } from '@proxy/contract';

/** Cleans a path like Go's path.Clean, keeping a trailing slash; merges "//" unless told not to. */
export function cleanPath(p: string, mergeSlashes = true): string {
  if (p === '') return '/';
  const trailing = p.endsWith('/') && p.length > 1;
  const parts = mergeSlashes ? p.split('/').filter((x, i) => x !== '' || i === 0) : p.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.') continue;
    if (part === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(part);
  }
  let res = out.join('/');
  if (!res.startsWith('/')) res = `/${res}`;
  if (trailing && !res.endsWith('/')) res += '/';
  return res;
}

/** Translates a Go path.Match glob (* ? [..]) to a RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      re += `[${cls}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      re += `\\${glob[++i]}`;
    } else re += c.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

type PathTest = (cleaned: (merge: boolean) => string, escaped: () => string) => boolean;

function compilePattern(raw: string): PathTest {
  const pat = raw.toLowerCase();
  if (pat === '*') return () => true;
  // Like Caddy, a "%" means the pattern is written in escaped space: compare against the escaped path.
  if (pat.includes('%')) {
    const re = globToRegExp(pat.replaceAll('%*', '*'));
    const test = compileEscapedPattern(pat, (x) => re.test(x));
    return (_c, escaped) => test(escaped());
  }
  const merge = !pat.includes('//');
  const stars = pat.split('*').length - 1;
  if (stars === 2 && pat.startsWith('*') && pat.endsWith('*')) {
    const mid = pat.slice(1, -1);
    return (c) => c(merge).includes(mid);
  }
  if (stars === 1 && pat.startsWith('*')) {
    const suf = pat.slice(1);
    return (c) => c(merge).endsWith(suf);
  }
  if (stars === 1 && pat.endsWith('*')) {
    const pre = pat.slice(0, -1);
    return (c) => c(merge).startsWith(pre);
  }
  if (!/[*?[\\]/.test(pat)) return (c) => c(merge) === pat;
  const re = globToRegExp(pat);
  return (c) => re.test(c(merge));
}

/**
 * Compiles path patterns into a predicate over a decoded request path; `escaped` gives the escaped path, for
 * patterns containing "%" (the decoded path re-escaped when not given).
 */
export function compilePaths(patterns: string[]): (path: string, escaped?: () => string) => boolean {
  const tests = patterns.map(compilePattern);
  return (path, escaped = () => escapedPath('', path)) => {
    // No trimming of trailing dots and spaces: current Caddy does that on Windows only (2.6.2 did it everywhere),
    // and elsewhere "/x.php." names another file than "/x.php".
    const lower = path.toLowerCase();
    let merged: string | undefined;
    let unmerged: string | undefined;
    const cleaned = (m: boolean) => (m ? (merged ??= cleanPath(lower, true)) : (unmerged ??= cleanPath(lower, false)));
    return tests.some((t) => t(cleaned, escaped));
  };
}

export const pathMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.path',
  kind: 'matcher',
  doc: 'Matches the path with * globs.',
  schema: httpMatcherSchemas.path,
  create(json) {
    const m = compilePaths(json as string[]);
    if (!(json as string[]).some((p) => p.includes('%'))) return { match: (r) => m(r.path) };
    return { match: (r) => m(r.path, () => escapedPath(r.rawPath, r.path)) };
  },
};
