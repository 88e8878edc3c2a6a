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

/** Splits a path after the first split_path delimiter (e.g. ".php"), Caddy's firstSplit. */
function splitPath(p: string, delims: string[]): [string, string] {
  const lower = p.toLowerCase();
  for (const d of delims) {
    const i = lower.indexOf(d.toLowerCase());
    if (i >= 0) return [p.slice(0, i + d.length), p.slice(i + d.length)];
  }
  return [p, ''];
}

class MatchFile implements RequestMatcher {
  private readonly root: Template;
  private readonly tries: Template[];
  private readonly policy: string;
  constructor(private readonly c: FileMatchConfig, path: string, env: NodeJS.ProcessEnv) {
    if (c.fs && c.fs !== 'local') throw ConfigError.at(joinPath(path, 'fs'), `file system "${c.fs}" is not supported yet`);
    this.policy = c.try_policy || 'first_exist';
    if (!POLICIES.includes(this.policy)) throw ConfigError.at(joinPath(path, 'try_policy'), `unknown try_policy "${this.policy}"`);
    this.root = compileTemplate(c.root ?? '{http.vars.root}', env);
    this.tries = (c.try_files?.length ? c.try_files : ['{http.request.uri.path}']).map((t) => compileTemplate(t, env));
  }

  match(r: HttpRequest): boolean {
    const res = requestResolver(r);
    const root = nodePath.resolve(this.root.render(res) || '.');
    type Cand = { rel: string; abs: string; st: Stats; remainder: string };
    const found: Cand[] = [];
    for (const [i, t] of this.tries.entries()) {
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
      // Whether a directory is wanted is up to the pattern as written: "{path}" for "/a.txt/" is the file "/a.txt".
      const wantDir = t.source.endsWith('/');
      const [first, remainder] = splitPath(target, this.c.split_path ?? []);
      const cleaned = cleanPath(first);
      const rel = cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
      const abs = nodePath.join(root, ...rel.split('/'));
      if (abs !== root && !abs.startsWith(root + nodePath.sep)) continue;
      const last = this.policy === 'first_exist_fallback' && i === this.tries.length - 1;
      const st = last ? (statOrUndefined(abs) ?? ({ isDirectory: () => false, size: 0, mtimeMs: 0 } as Stats)) : statOrUndefined(abs);
      if (!st || (wantDir && !st.isDirectory()) || (!wantDir && st.isDirectory() && !last)) continue;
      found.push({ rel: wantDir && !rel.endsWith('/') ? `${rel}/` : rel, abs, st, remainder });
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
