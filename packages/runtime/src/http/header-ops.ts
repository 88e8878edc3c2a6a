/** @module http/header-ops: compiled add/set/delete/replace operations on header fields. */
import type { HeaderOps, RespHeaderOps } from '@proxy/contract';
import { ConfigError, joinPath } from '../util/errors.js';
import { compileTemplate, type Resolver, type Template } from '../util/template.js';
import type { Header } from './header.js';
import { goReplaceAll } from '../util/go-expand.js';
import { compileGoRegexp } from '../util/go-regexp.js';

interface Replacement {
  search: Template;
  re: RegExp | undefined;
  replace: Template;
}

/**
 * Header operations compiled at load time. Placeholders in names and values are replaced only when known
 * (Caddy's ReplaceKnown): an unknown one stays as written.
 */
export class CompiledHeaderOps {
  private readonly add: Array<[Template, Template[]]>;
  private readonly set: Array<[Template, Template[]]>;
  private readonly del: Template[];
  private readonly replace: Array<[Template, Replacement[]]>;

  constructor(ops: HeaderOps, path: string, env: NodeJS.ProcessEnv) {
    const tpl = (m?: Record<string, string[]>) =>
      Object.entries(m ?? {}).map(([k, v]): [Template, Template[]] => [
        compileTemplate(k, env),
        v.map((x) => compileTemplate(x, env)),
      ]);
    this.add = tpl(ops.add);
    this.set = tpl(ops.set);
    this.del = (ops.delete ?? []).map((d) => compileTemplate(d, env));
    this.replace = Object.entries(ops.replace ?? {}).map(([field, reps]) => [
      compileTemplate(field, env),
      reps.map((rep, i) => {
        const p = joinPath(joinPath(joinPath(path, 'replace'), field), i);
        let re: RegExp | undefined;
        if (rep.search_regexp) {
          try {
            re = compileGoRegexp(rep.search_regexp, 'g');
          } catch (e) {
            throw ConfigError.at(joinPath(p, 'search_regexp'), `invalid regular expression: ${(e as Error).message}`);
          }
        }
        return { re, search: compileTemplate(rep.search ?? '', env), replace: compileTemplate(rep.replace ?? '', env) };
      }),
    ]);
  }

  /** Applies the operations in Caddy's order: add, set, delete, replace. */
  apply(h: Header, res: Resolver): void {
    for (const [k, vals] of this.add) {
      const name = k.render(res, true);
      for (const v of vals) h.add(name, v.render(res, true));
    }
    // Several values of a set become one field value joined with ",", as in Caddy.
    for (const [k, vals] of this.set) h.set(k.render(res, true), vals.map((v) => v.render(res, true)).join(','));
    for (const d of this.del) {
      const match = deleteMatcher(d.render(res, true).toLowerCase());
      for (const name of h.names()) if (match(name.toLowerCase())) h.delete(name);
    }
    for (const [fieldTpl, reps] of this.replace) {
      const field = fieldTpl.render(res, true);
      const names = field === '*' ? h.names() : h.names().filter((n) => n.toLowerCase() === field.toLowerCase());
      for (const rep of reps) {
        const search = rep.search.render(res, true);
        const to = rep.replace.render(res, true);
        for (const name of names) {
          h.set(
            name,
            h.values(name).map((v) => (rep.re ? goReplaceAll(v, rep.re, to) : replaceAll(v, search, to))),
          );
        }
      }
    }
  }
}

/** A delete pattern: a name, or "*" at either or both ends for suffix, prefix or substring matches. */
function deleteMatcher(l: string): (name: string) => boolean {
  if (l.length > 1 && l.startsWith('*') && l.endsWith('*')) return (n) => n.includes(l.slice(1, -1));
  if (l.startsWith('*')) return (n) => n.endsWith(l.slice(1));
  if (l.endsWith('*')) return (n) => n.startsWith(l.slice(0, -1));
  return (n) => n === l;
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
    if (
      this.requireStatus?.length &&
      !this.requireStatus.some((c) => c === status || (c < 100 && status >= c * 100 && status < (c + 1) * 100))
    )
      return false;
    for (const [f, vals] of this.requireHeaders ?? []) {
      const actual = h.values(f);
      if (vals === null) {
        if (actual.length) return false;
        continue;
      }
      if (vals.length === 0) {
        if (!actual.length) return false;
        continue;
      }
      if (!actual.some((a) => vals.some((v) => wildcardMatch(a, v)))) return false;
    }
    return true;
  }
}

/** Caddy's header value match: "*" anything, "*x*" contains, "*x" suffix, "x*" prefix, else equal. */
function wildcardMatch(actual: string, allowed: string): boolean {
  if (allowed === '*') return true;
  if (allowed.length > 1 && allowed.startsWith('*') && allowed.endsWith('*'))
    return actual.includes(allowed.slice(1, -1));
  if (allowed.startsWith('*')) return actual.endsWith(allowed.slice(1));
  if (allowed.endsWith('*')) return actual.startsWith(allowed.slice(0, -1));
  return actual === allowed;
}

/** Go's strings.ReplaceAll (an empty search inserts the replacement around every character). */
function replaceAll(v: string, search: string, to: string): string {
  return search === '' ? to + [...v].join(to) + to : v.split(search).join(to);
}
