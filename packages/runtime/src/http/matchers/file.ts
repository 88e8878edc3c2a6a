/** @module http/matchers/file: `http.matchers.file`: matches when a file exists (try_files), setting {http.matchers.file.*}. */
import { statSync, type Stats } from 'node:fs';
import * as nodePath from 'node:path';
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { compileTemplate, type Template } from '../../util/template.js';
import { HandlerError } from '../errors.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';
import { cleanPath } from './path.js';

interface FileMatchConfig { fs?: string; root?: string; try_files?: string[]; try_policy?: string; split_path?: string[] }

const POLICIES = ['first_exist', 'first_exist_fallback', 'smallest_size', 'largest_size', 'most_recently_modified'];

function statOrUndefined(p: string): Stats | undefined {
  try { return statSync(p); } catch { return undefined; }
}

/**
 * Splits a path after the first split_path delimiter (e.g. ".php") that ends a path segment, Caddy's firstSplit:
 * "/index.php/extra" -> ["/index.php", "/extra"]; "/a.phpx/b" is not split at ".php".
 */
export function splitPath(p: string, delims: string[]): [string, string] {
  const lower = p.toLowerCase();
  for (const d of delims) {
    const i = lower.indexOf(d.toLowerCase());
    if (i < 0) continue;
    const pos = i + d.length;
    if (pos !== p.length && p[pos] !== '/') continue;
    return [p.slice(0, pos), p.slice(pos)];
  }
  return [p, ''];
}

/** Go's path.Clean, which keeps a relative path relative ("" -> "."). */
function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') { if (out.length && out[out.length - 1] !== '..') out.pop(); else if (!rooted) out.push('..'); continue; }
    out.push(part);
  }
  const res = (rooted ? '/' : '') + out.join('/');
  return res || (rooted ? '/' : '.');
}

class MatchFile implements RequestMatcher {
  private readonly root: Template;
  /** The try_files patterns with whether the pattern itself (not its expansion) ends in "/". */
  private readonly tries: Array<{ t: Template; dir: boolean }>;
  private readonly policy: string;
  constructor(private readonly c: FileMatchConfig, path: string, env: NodeJS.ProcessEnv) {
    if (c.fs && c.fs !== 'local') throw ConfigError.at(joinPath(path, 'fs'), `file system "${c.fs}" is not supported yet`);
    this.policy = c.try_policy || 'first_exist';
    if (!POLICIES.includes(this.policy)) throw ConfigError.at(joinPath(path, 'try_policy'), `unknown try_policy "${this.policy}"`);
    this.root = compileTemplate(c.root ?? '{http.vars.root}', env);
    this.tries = (c.try_files?.length ? c.try_files : ['{http.request.uri.path}']).map((t) => ({ t: compileTemplate(t, env), dir: t.endsWith('/') }));
  }

  match(r: HttpRequest): boolean {
    const res = requestResolver(r);
    const root = nodePath.resolve(this.root.render(res) || '.');
    type Cand = { rel: string; abs: string; st: Stats; remainder: string };
    const found: Cand[] = [];
    for (const [i, { t, dir }] of this.tries.entries()) {
      let target = t.render(res);
      const q = target.indexOf('?');
      if (q >= 0) target = target.slice(0, q);
      if (target.startsWith('=')) {
        if (this.policy === 'first_exist' || this.policy === 'first_exist_fallback') {
          const code = Number(target.slice(1));
          if (Number.isInteger(code) && code >= 100 && code <= 999) throw new HandlerError(code, 'try_files status');
        }
        continue;
      }
      // Like Caddy: clean, split, then only a pattern written with a trailing slash names a directory; the
      // site root itself ("/" from {path}) is never one, so "/" falls through to "{path}/index.php".
      const [first, remainder] = splitPath(goClean(target), this.c.split_path ?? []);
      const before = dir ? `${first}/` : first;
      const rel = cleanPath(first);
      const wantDir = before.endsWith('/') && before.length > 1;
      const joined = nodePath.join(root, ...rel.split('/'));
      const abs = wantDir && !joined.endsWith(nodePath.sep) ? joined + nodePath.sep : joined;
      if (!abs.startsWith(root)) continue;
      const last = this.policy === 'first_exist_fallback' && i === this.tries.length - 1;
      const st = last ? (statOrUndefined(abs) ?? ({ isDirectory: () => false, size: 0, mtimeMs: 0 } as Stats)) : statOrUndefined(abs);
      if (!st || (!last && st.isDirectory() !== wantDir)) continue;
      found.push({ rel: abs.slice(root.length) || '/', abs, st, remainder });
      if (this.policy.startsWith('first_exist')) break;
    }
    if (found.length === 0) return false;
    let pick = found[0]!;
    if (this.policy === 'smallest_size') pick = found.reduce((a, b) => (b.st.size < a.st.size ? b : a));
    else if (this.policy === 'largest_size') pick = found.reduce((a, b) => (b.st.size > a.st.size ? b : a));
    else if (this.policy === 'most_recently_modified') pick = found.reduce((a, b) => (b.st.mtimeMs > a.st.mtimeMs ? b : a));
    r.extra.set('http.matchers.file.relative', pick.rel);
    r.extra.set('http.matchers.file.absolute', pick.abs);
    r.extra.set('http.matchers.file.type', pick.st.isDirectory() ? 'directory' : 'file');
    r.extra.set('http.matchers.file.remainder', pick.remainder);
    return true;
  }
}

export const fileMatcher: ModuleInfo<RequestMatcher> = {
  id: 'http.matchers.file',
  schema: s.obj({ fs: s.str, root: s.str, try_files: s.strs, try_policy: s.str, split_path: s.strs }),
  create: (json, ctx, path) => new MatchFile(json as FileMatchConfig, path, ctx.env),
};
