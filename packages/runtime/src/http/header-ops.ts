/** @module http/header-ops: compiled add/set/delete/replace operations on header fields. */
import type { HeaderOps, RespHeaderOps } from '../config/handlers.js';
import { s, type Schema } from '../schema.js';
import { ConfigError, joinPath } from '../util/errors.js';
import { compileTemplate, type Resolver, type Template } from '../util/template.js';
import type { Header } from './header.js';
import { goRegexpFlags, translateGoRegexp } from './matchers/regexp.js';

/** The schema of HeaderOps. */
export const headerOpsSchema: Schema = s.obj({
  add: s.map(s.strs), set: s.map(s.strs), delete: s.strs,
  replace: s.map(s.arr(s.obj({ search: s.str, search_regexp: s.str, replace: s.str }))),
});

/** The schema of RespHeaderOps. */
export const respHeaderOpsSchema: Schema = s.obj({
  add: s.map(s.strs), set: s.map(s.strs), delete: s.strs,
  replace: s.map(s.arr(s.obj({ search: s.str, search_regexp: s.str, replace: s.str }))),
  require: s.obj({ status_code: s.arr(s.int), headers: s.map(s.nullable(s.strs)) }),
  deferred: s.bool,
});

interface Replacement { search?: Template; re?: RegExp; replace: Template }

/** Header operations compiled at load time. */
export class CompiledHeaderOps {
  private readonly add: Array<[Template, Template[]]>;
  private readonly set: Array<[Template, Template[]]>;
  private readonly del: Array<(name: string) => boolean>;
  private readonly replace: Array<[string, Replacement[]]>;

  constructor(ops: HeaderOps, path: string, env: NodeJS.ProcessEnv) {
    const tpl = (m?: Record<string, string[]>) => Object.entries(m ?? {}).map(([k, v]): [Template, Template[]] => [compileTemplate(k, env), v.map((x) => compileTemplate(x, env))]);
    this.add = tpl(ops.add);
    this.set = tpl(ops.set);
    this.del = (ops.delete ?? []).map((d) => {
      const l = d.toLowerCase();
      if (l === '*') return () => true;
      if (l.startsWith('*') && l.endsWith('*')) return (n: string) => n.includes(l.slice(1, -1));
      if (l.startsWith('*')) return (n: string) => n.endsWith(l.slice(1));
      if (l.endsWith('*')) return (n: string) => n.startsWith(l.slice(0, -1));
      return (n: string) => n === l;
    });
    this.replace = Object.entries(ops.replace ?? {}).map(([field, reps]) => [field, reps.map((rep, i) => {
      const p = joinPath(joinPath(joinPath(path, 'replace'), field), i);
      let re: RegExp | undefined;
      if (rep.search_regexp !== undefined) {
        try { re = new RegExp(translateGoRegexp(rep.search_regexp), `g${goRegexpFlags(rep.search_regexp)}`); }
        catch (e) { throw ConfigError.at(joinPath(p, 'search_regexp'), `invalid regular expression: ${(e as Error).message}`); }
      }
      return { ...(re ? { re } : {}), ...(rep.search !== undefined ? { search: compileTemplate(rep.search, env) } : {}), replace: compileTemplate(rep.replace ?? '', env) };
    })]);
  }

  /** Applies the operations in Caddy's order: add, set, delete, replace. */
  apply(h: Header, res: Resolver): void {
    for (const [k, vals] of this.add) { const name = k.render(res); for (const v of vals) h.add(name, v.render(res)); }
    for (const [k, vals] of this.set) h.set(k.render(res), vals.map((v) => v.render(res)));
    if (this.del.length) for (const name of h.names()) if (this.del.some((d) => d(name.toLowerCase()))) h.delete(name);
    for (const [field, reps] of this.replace) {
      const names = field === '*' ? h.names() : [field];
      for (const name of names) {
        if (!h.has(name)) continue;
        h.set(name, h.values(name).map((v) => {
          for (const rep of reps) {
            const to = rep.replace.render(res);
            if (rep.re) v = v.replace(rep.re, to.replace(/\$\{(\w+)\}/g, '$<$1>').replace(/\$(\d+)/g, '$$$1'));
            else if (rep.search) v = v.split(rep.search.render(res)).join(to);
          }
          return v;
        }));
      }
    }
  }
}

/** Response ops plus the conditions under which they apply. */
export class CompiledRespHeaderOps extends CompiledHeaderOps {
  readonly deferred: boolean;
  private readonly requireStatus: number[] | undefined;
  private readonly requireHeaders: Array<[string, string[] | null]> | undefined;
  constructor(ops: RespHeaderOps, path: string, env: NodeJS.ProcessEnv) {
    super(ops, path, env);
    this.requireStatus = ops.require?.status_code;
    this.requireHeaders = ops.require?.headers ? Object.entries(ops.require.headers) : undefined;
    this.deferred = ops.deferred === true || ops.require !== undefined;
  }
  /** Whether the response meets `require`. */
  applies(status: number, h: Header): boolean {
    if (this.requireStatus && this.requireStatus.length && !this.requireStatus.some((c) => c === status || (c < 10 && Math.floor(status / 100) === c))) return false;
    for (const [f, vals] of this.requireHeaders ?? []) {
      const actual = h.values(f);
      if (vals === null) { if (actual.length) return false; continue; }
      if (vals.length === 0) { if (!actual.length) return false; continue; }
      if (!actual.some((a) => vals.includes(a))) return false;
    }
    return true;
  }
}
