/** @module http/matchers/file: `http.matchers.file`: matches when a file exists (try_files), setting {http.matchers.file.*}. */
import { statSync, type Stats } from 'node:fs';
import * as nodePath from 'node:path';
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { compileTemplate, type Template } from '../../util/template.js';
import { HandlerError } from '../errors.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';
import { sanitizedJoin } from '../handlers/file-server-paths.js';
import { glob, globEscape } from './file-glob.js';
import { goClean } from '../go-url.js';
import { httpMatcherSchemas } from '@proxy/contract';

interface FileMatchConfig {
  fs?: string;
  root?: string;
  try_files?: string[];
  try_policy?: string;
  split_path?: string[];
}

const POLICIES = ['first_exist', 'first_exist_fallback', 'smallest_size', 'largest_size', 'most_recently_modified'];

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

class MatchFile implements RequestMatcher {
  private readonly root: Template;
  private readonly tries: Template[];
  private readonly policy: string;
  constructor(
    private readonly c: FileMatchConfig,
    path: string,
    env: NodeJS.ProcessEnv,
  ) {
    if (c.fs && c.fs !== 'local')
      throw ConfigError.at(joinPath(path, 'fs'), `file system "${c.fs}" is not supported yet`);
    this.policy = c.try_policy || 'first_exist';
    if (!POLICIES.includes(this.policy))
      throw ConfigError.at(joinPath(path, 'try_policy'), `unknown try_policy "${this.policy}"`);
    this.root = compileTemplate(c.root ?? '{http.vars.root}', env);
    this.tries = (c.try_files?.length ? c.try_files : ['{http.request.uri.path}']).map((t) => compileTemplate(t, env));
  }

  match(r: HttpRequest): boolean {
    const res = requestResolver(r);
    const safe = (k: string): string | undefined => {
      const v = res(k);
      return v === undefined ? v : globEscape(v);
    };
    const root = nodePath.resolve(this.root.render(res) || '.');
    const policy = this.policy;
    const firstExist = policy === 'first_exist' || policy === 'first_exist_fallback';
    let pick: Cand | undefined;
    for (const [i, t] of this.tries.entries()) {
      let target = t.render(safe);
      // A query in the pattern is for the rewrite, not the file name.
      const q = target.search(/(?<!\\)\?/);
      if (q >= 0) target = target.slice(0, q);
      if (firstExist && /^=\d+$/.test(target)) {
        const code = Number(target.slice(1));
        if (code >= 100 && code <= 999) throw new HandlerError(code, 'try_files status');
      }
      const last = policy === 'first_exist_fallback' && i === this.tries.length - 1;
      for (const c of this.candidates(root, target, t.source.endsWith('/'), last)) {
        if (last) {
          pick = c;
          break;
        }
        let st: Stats;
        try {
          st = statSync(c.abs);
        } catch {
          continue;
        }
        c.st = st;
        if (firstExist) {
          // By convention a path ending in a slash must be a directory, and one without must not be.
          if (c.abs.endsWith(nodePath.sep) !== st.isDirectory()) continue;
          pick = c;
          break;
        }
        // The other policies take any existing path; their comparisons start from zero as Caddy's do, so an
        // empty file is never the largest, and the smallest is replaced while it is empty.
        if (
          policy === 'largest_size'
            ? st.size > (pick?.st?.size ?? 0)
            : policy === 'smallest_size'
              ? !pick || pick.st!.size === 0 || st.size < pick.st!.size
              : !pick || st.mtimeMs > pick.st!.mtimeMs
        )
          pick = c;
      }
      if (pick && firstExist) break;
    }
    if (!pick) return false;
    r.extra.set('http.matchers.file.relative', pick.rel);
    r.extra.set('http.matchers.file.absolute', pick.abs);
    r.extra.set('http.matchers.file.type', pick.st?.isDirectory() ? 'directory' : 'file');
    r.extra.set('http.matchers.file.remainder', pick.remainder);
    return true;
  }

  /**
   * Caddy's makeCandidates: the pattern cleaned, split after split_path, a trailing slash restored when the
   * pattern has one, joined under root and glob-expanded.
   */
  private candidates(root: string, target: string, dirPattern: boolean, fallback: boolean): Cand[] {
    const [first, remainder] = splitPath(goClean(target), this.c.split_path ?? []);
    // Caddy appends the slash whatever the cleaned path is: "{path}/" at "/" is "//", the site root as a
    // directory, while "{path}" at "/" is the root as a file, which never exists.
    const full = sanitizedJoin(root, dirPattern ? `${first}/` : first);
    // The fallback is taken as it is, existing or not.
    const paths = glob(full);
    if (paths.length === 0 && fallback) paths.push(full.replace(/\\([*?[\\])/g, '$1'));
    return paths.map((abs) => ({ abs, rel: abs.slice(root.length) || '/', remainder, st: undefined }));
  }
}

type Cand = { rel: string; abs: string; remainder: string; st: Stats | undefined };

export const fileMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.file',
  kind: 'matcher',
  doc: 'Matches when a file exists (try_files).',
  schema: httpMatcherSchemas.file,
  create: (json, ctx, path) => new MatchFile(json as FileMatchConfig, path, ctx.env),
};
