/** @module http/handlers/rewrite: `http.handlers.rewrite`: changes the method, path or query internally. */
import { rewriteSchema, type RewriteHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { goReplaceAll } from '../../util/go-expand.js';
import { compileTemplate, type Resolver, type Template } from '../../util/template.js';
import { cleanPath, encodeQuery, escapedPath, parseQuery, pathUnescape } from '../go-url.js';
import type { Handler } from '../handler.js';
import { compileGoRegexp } from '../../util/go-regexp.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';
import { QueryTemplate } from './rewrite-query.js';

/** The parts of a `uri` template, split at its first "?" and "#" before any placeholder is replaced. */
interface UriTemplate {
  /** The path part, when the template has one (it does not start with "?" or "#"). */
  path: Template | undefined;
  /** Whether the path part holds {http.request.uri}, which Caddy fills with the decoded path and query. */
  pathHasUri: boolean;
  /** The query part, when the template has a "?". */
  query: QueryTemplate | undefined;
  hasQuery: boolean;
}

interface Replace {
  find: Template;
  replace: Template;
  limit: number;
  mergeSlashes: boolean;
}
interface QueryOp {
  key: Template;
  val: Template;
}

/** Rewrite operations compiled at load time, applied in Caddy's order. */
export class CompiledRewrite {
  private readonly method: Template | undefined;
  private readonly uri: UriTemplate | undefined;
  private readonly prefix: Template | undefined;
  private readonly suffix: Template | undefined;
  private readonly substrings: Replace[];
  private readonly pathRe: Array<{ re: RegExp; replace: Template }>;
  private readonly query:
    | {
        rename: QueryOp[];
        set: QueryOp[];
        add: QueryOp[];
        replace: Array<{ key: Template; search: Template; re: RegExp | undefined; replace: Template }>;
        del: Template[];
      }
    | undefined;

  constructor(c: RewriteHandler, path: string, env: NodeJS.ProcessEnv) {
    const t = (v: string | undefined): Template => compileTemplate(v ?? '', env);
    this.method = c.method ? t(c.method) : undefined;
    this.uri = c.uri ? compileUri(c.uri, env) : undefined;
    // Master adds the leading slash a prefix lacks (2.6.2 would never match such a prefix).
    this.prefix = c.strip_path_prefix ? t(c.strip_path_prefix) : undefined;
    this.suffix = c.strip_path_suffix ? t(c.strip_path_suffix) : undefined;
    this.substrings = (c.uri_substring ?? [])
      .filter((x) => x.find)
      .map((x) => ({
        find: t(x.find),
        replace: t(x.replace),
        limit: x.limit && x.limit > 0 ? x.limit : Infinity,
        mergeSlashes: !x.find!.includes('//'),
      }));
    this.pathRe = (c.path_regexp ?? []).map((p, i) => {
      const at = joinPath(joinPath(path, 'path_regexp'), i);
      if (!p.find) throw ConfigError.at(joinPath(at, 'find'), 'path_regexp find cannot be empty');
      try {
        return { re: compileGoRegexp(p.find, 'g'), replace: t(p.replace) };
      } catch (e) {
        throw ConfigError.at(joinPath(at, 'find'), `invalid regular expression: ${(e as Error).message}`);
      }
    });
    const q = c.query;
    if (q) {
      const ops = (list: Array<{ key?: string; val?: string }> | undefined): QueryOp[] =>
        (list ?? []).map((o) => ({ key: t(o.key), val: t(o.val) }));
      this.query = {
        rename: ops(q.rename),
        set: ops(q.set),
        add: ops(q.add),
        del: (q.delete ?? []).map(t),
        replace: (q.replace ?? []).map((o, i) => {
          let re: RegExp | undefined;
          if (o.search_regexp) {
            try {
              re = compileGoRegexp(o.search_regexp, 'g');
            } catch (e) {
              throw ConfigError.at(
                joinPath(joinPath(joinPath(joinPath(path, 'query'), 'replace'), i), 'search_regexp'),
                `invalid regular expression: ${(e as Error).message}`,
              );
            }
          }
          return { key: t(o.key), search: t(o.search), re, replace: t(o.replace) };
        }),
      };
    }
  }

  /** Applies the rewrite to the request. */
  apply(r: HttpRequest, res: Resolver): void {
    if (this.method) r.method = this.method.render(res).toUpperCase();
    if (this.uri) this.applyUri(r, res, this.uri);
    if (this.prefix) {
      // As current Caddy: the leading slash is ensured after placeholders are replaced ("{http.regexp.x.0}").
      const rendered = this.prefix.render(res);
      const prefix = rendered.startsWith('/') ? rendered : `/${rendered}`;
      const merge = !prefix.includes('//');
      changePath(r, (p) => trimPathPrefix(cleanPath(p, merge), prefix));
      // A path left without its leading slash ("/apix" less "/api") would not be a valid request target.
      if (!r.uri.startsWith('/') && !r.uri.startsWith('*')) r.uri = `/${r.uri}`;
    }
    if (this.suffix) {
      const suffix = this.suffix.render(res);
      const merge = !suffix.includes('//');
      changePath(r, (p) => reverse(trimPathPrefix(reverse(cleanPath(p, merge)), reverse(suffix))));
    }
    for (const sub of this.substrings) {
      const find = sub.find.render(res);
      const to = sub.replace.render(res);
      const query = r.query;
      changePath(r, (p) => replaceN(cleanPath(p, sub.mergeSlashes), find, to, sub.limit));
      setQuery(r, replaceN(query, find, to, sub.limit));
    }
    for (const { re, replace } of this.pathRe) {
      const to = replace.render(res);
      changePath(r, (p) => goReplaceAll(p, re, to));
    }
    if (this.query) this.applyQuery(r, res, this.query);
  }

  private applyUri(r: HttpRequest, res: Resolver, u: UriTemplate): void {
    let newPath = '';
    if (u.path) {
      // Caddy puts the decoded path and the query where {http.request.uri} is, before the other placeholders.
      const uriValue = r.path + (r.query ? `?${r.query}` : '');
      newPath = u.path.render(u.pathHasUri ? (k) => (k === 'http.request.uri' ? uriValue : res(k)) : res);
    }
    let query = u.query;
    const cut = newPath.indexOf('?');
    if (cut >= 0) {
      // A query that placeholders put into the path is the query, unless the template has its own.
      if (!query) query = new QueryTemplate(newPath.slice(cut + 1), {}, true);
      newPath = newPath.slice(0, cut);
    }
    const rawQuery = u.hasQuery ? (query?.render(res, (k) => isNil(r, k)) ?? '') : r.query;
    // Go keeps the old escaped form when it still encodes the new path ("/a%2Fb" rewritten to {path}).
    const escaped = u.path ? escapedPath(r.rawPath, newPath) : r.rawPath;
    setUri(r, escaped, rawQuery);
  }

  private applyQuery(r: HttpRequest, res: Resolver, q: NonNullable<CompiledRewrite['query']>): void {
    const values = new Map<string, string[]>();
    for (const [k, v] of parseQuery(r.query)) {
      const l = values.get(k);
      if (l) l.push(v);
      else values.set(k, [v]);
    }
    for (const op of q.rename) {
      const from = op.key.render(res);
      const to = op.val.render(res);
      if (!from || !to || !values.has(from)) continue;
      values.set(to, values.get(from)!);
      if (to !== from) values.delete(from);
    }
    for (const op of q.set) {
      const k = op.key.render(res);
      if (k) values.set(k, [op.val.render(res)]);
    }
    for (const op of q.add) {
      const k = op.key.render(res);
      if (k) values.set(k, [...(values.get(k) ?? []), op.val.render(res)]);
    }
    for (const op of q.replace) {
      const key = op.key.render(res);
      const search = op.search.render(res, true);
      const to = op.replace.render(res, true);
      for (const name of key === '*' ? [...values.keys()] : [key]) {
        const vals = values.get(name);
        if (vals)
          values.set(
            name,
            vals.map((v) => (op.re ? goReplaceAll(v, op.re, to) : v.split(search).join(to))),
          );
      }
    }
    for (const d of q.del) {
      const k = d.render(res);
      if (k) values.delete(k);
    }
    setQuery(r, encodeQuery(values));
  }
}

function compileUri(uri: string, env: NodeJS.ProcessEnv): UriTemplate {
  const q = uri.indexOf('?');
  const h = uri.indexOf('#');
  // Everything after "#" is the fragment, which is not part of the request URI.
  const hasQuery = q >= 0 && (h < 0 || q < h);
  const pathEnd = hasQuery ? q : h >= 0 ? h : uri.length;
  const path = uri.slice(0, pathEnd);
  const query = hasQuery ? uri.slice(q + 1, h > q ? h : uri.length) : '';
  return {
    path: path !== '' ? compileTemplate(path, env) : undefined,
    pathHasUri: path.includes('{http.request.uri}'),
    query: query !== '' ? new QueryTemplate(query, env) : undefined,
    hasQuery,
  };
}

/** Whether Caddy's replacer holds no value (nil) for a key: unset variables. */
function isNil(r: HttpRequest, key: string): boolean {
  return key.startsWith('http.vars.') && r.vars.get(key.slice(10)) == null;
}

/**
 * Caddy's changePath: the change is made to the escaped path; when that does not unescape to a
 * non-empty path, to the decoded path instead. The request URI gets Go's EscapedPath of the result.
 */
function changePath(r: HttpRequest, change: (p: string) => string): void {
  const newRaw = change(r.uri.startsWith('*') ? r.rawPath : escapedPath(r.rawPath, r.path));
  const decoded = pathUnescape(newRaw);
  const path = decoded !== undefined && decoded !== '' ? decoded : change(r.path);
  setUri(r, escapedPath(newRaw, path), r.query);
}

function setQuery(r: HttpRequest, query: string): void {
  setUri(r, r.rawPath, query);
}

/**
 * Go's URL.RequestURI: "/" for an empty path; "?" also before an empty query when the request target
 * ended in a lone "?" (URL.ForceQuery, which rewrites keep).
 */
function setUri(r: HttpRequest, escapedPath: string, query: string): void {
  const o = r.originalUri;
  const force = o.endsWith('?') && o.indexOf('?') === o.length - 1;
  r.uri = (escapedPath || '/') + (query || force ? `?${query}` : '');
}

/** Caddy's trimPathPrefix: case-insensitive, an escape in the path matching the character it encodes. */
function trimPathPrefix(escapedPath: string, prefix: string): string {
  let iPath = 0;
  let iPrefix = 0;
  while (iPath < escapedPath.length && iPrefix < prefix.length) {
    const prefixCh = prefix[iPrefix]!;
    let ch = escapedPath[iPath]!;
    if (ch === '%' && prefixCh !== '%' && escapedPath.length >= iPath + 3) {
      const u = pathUnescape(escapedPath.slice(iPath, iPath + 3));
      if (u === undefined) return escapedPath;
      ch = u;
      iPath += 2;
    }
    if (ch.toLowerCase() !== prefixCh.toLowerCase()) return escapedPath;
    iPath++;
    iPrefix++;
  }
  return iPath >= prefix.length ? escapedPath.slice(iPath) : escapedPath;
}

function reverse(s: string): string {
  return [...s].reverse().join('');
}

/** Go's strings.Replace with a limit (Infinity for all). */
function replaceN(s: string, find: string, to: string, limit: number): string {
  if (find === '' || limit === Infinity) return find === '' ? s : s.split(find).join(to);
  let out = '';
  let from = 0;
  for (let n = 0; n < limit; n++) {
    const i = s.indexOf(find, from);
    if (i < 0) break;
    out += s.slice(from, i) + to;
    from = i + find.length;
  }
  return out + s.slice(from);
}

export const rewriteHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.rewrite',
  kind: 'handler',
  doc: 'Rewrites the request URI or method.',
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
