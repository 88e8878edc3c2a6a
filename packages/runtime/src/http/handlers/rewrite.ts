/** @module http/handlers/rewrite: `http.handlers.rewrite`: changes the method, path or query internally. */
import type { RewriteHandler } from '../../config/handlers.js';
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { compileTemplate, type Resolver, type Template } from '../../util/template.js';
import type { Handler } from '../handler.js';
import { goRegexpFlags, translateGoRegexp } from '../matchers/regexp.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';

const kv = s.arr(s.obj({ key: s.str, val: s.str }));

/** Rewrite operations compiled at load time. */
export class CompiledRewrite {
  private readonly method: Template | undefined;
  private readonly uri: Template | undefined;
  private readonly pathRe: Array<{ re: RegExp; to: string }>;
  constructor(private readonly c: RewriteHandler, path: string, env: NodeJS.ProcessEnv) {
    this.method = c.method ? compileTemplate(c.method, env) : undefined;
    this.uri = c.uri ? compileTemplate(c.uri, env) : undefined;
    this.pathRe = (c.path_regexp ?? []).map((p, i) => {
      try { return { re: new RegExp(translateGoRegexp(p.find ?? ''), `g${goRegexpFlags(p.find ?? '')}`), to: (p.replace ?? '').replace(/\$\{(\w+)\}/g, '$<$1>') }; }
      catch (e) { throw ConfigError.at(joinPath(joinPath(joinPath(path, 'path_regexp'), i), 'find'), `invalid regular expression: ${(e as Error).message}`); }
    });
  }

  /** Applies the rewrite to the request. */
  apply(r: HttpRequest, res: Resolver): void {
    const c = this.c;
    if (this.method) r.method = this.method.render(res).toUpperCase();
    if (this.uri) {
      const target = this.uri.render(res);
      const q = target.indexOf('?');
      const newPath = q < 0 ? target : target.slice(0, q);
      const newQuery = q < 0 ? undefined : target.slice(q + 1);
      r.setPathAndQuery(newPath === '' ? r.rawPath : newPath, newQuery ?? r.query);
    }
    if (c.strip_path_prefix) {
      const p = r.rawPath;
      const pre = c.strip_path_prefix.startsWith('/') ? c.strip_path_prefix : `/${c.strip_path_prefix}`;
      if (p.toLowerCase().startsWith(pre.toLowerCase())) {
        let rest = p.slice(pre.length);
        if (!rest.startsWith('/')) rest = `/${rest}`;
        r.setPathAndQuery(rest, r.query);
      }
    }
    if (c.strip_path_suffix && r.rawPath.toLowerCase().endsWith(c.strip_path_suffix.toLowerCase())) {
      r.setPathAndQuery(r.rawPath.slice(0, -c.strip_path_suffix.length) || '/', r.query);
    }
    for (const sub of c.uri_substring ?? []) {
      if (!sub.find) continue;
      let uri = r.uri;
      let n = 0;
      const limit = sub.limit && sub.limit > 0 ? sub.limit : Infinity;
      let i = uri.indexOf(sub.find);
      while (i >= 0 && n < limit) {
        uri = uri.slice(0, i) + (sub.replace ?? '') + uri.slice(i + sub.find.length);
        n++;
        i = uri.indexOf(sub.find, i + (sub.replace ?? '').length);
      }
      r.uri = uri;
    }
    for (const { re, to } of this.pathRe) r.setPathAndQuery(r.rawPath.replace(re, to), r.query);
    if (c.query) {
      const q = new URLSearchParams(r.query);
      for (const op of c.query.rename ?? []) if (op.key && q.has(op.key)) { const vals = q.getAll(op.key); q.delete(op.key); for (const v of vals) q.append(op.val ?? '', v); }
      for (const op of c.query.set ?? []) if (op.key) q.set(compileTemplate(op.key).render(res), compileTemplate(op.val ?? '').render(res));
      for (const op of c.query.add ?? []) if (op.key) q.append(compileTemplate(op.key).render(res), compileTemplate(op.val ?? '').render(res));
      for (const op of c.query.replace ?? []) {
        for (const key of op.key === '*' ? [...new Set(q.keys())] : [op.key ?? '']) {
          const vals = q.getAll(key).map((v) => op.search_regexp !== undefined ? v.replace(new RegExp(translateGoRegexp(op.search_regexp), 'g'), op.replace ?? '') : v.split(op.search ?? '').join(op.replace ?? ''));
          if (vals.length) { q.delete(key); for (const v of vals) q.append(key, v); }
        }
      }
      for (const key of c.query.delete ?? []) q.delete(key);
      q.sort(); // Go's url.Values.Encode sorts by key
      r.setPathAndQuery(r.rawPath, q.toString());
    }
  }
}

export const rewriteSchema = s.obj({
  method: s.str, uri: s.str, strip_path_prefix: s.str, strip_path_suffix: s.str,
  uri_substring: s.arr(s.obj({ find: s.str, replace: s.str, limit: s.int })),
  path_regexp: s.arr(s.obj({ find: s.str, replace: s.str })),
  query: s.obj({ rename: kv, set: kv, add: kv, replace: s.arr(s.obj({ key: s.str, search: s.str, search_regexp: s.str, replace: s.str })), delete: s.strs }),
});

export const rewriteHandler: ModuleInfo<Handler> = {
  id: 'http.handlers.rewrite',
  schema: rewriteSchema,
  create(json, ctx, path) {
    const rw = new CompiledRewrite(json as RewriteHandler, path, ctx.env);
    return {
      serve(r, w, next) {
        rw.apply(r, requestResolver(r));
        return next(r, w);
      },
    };
  },
};
