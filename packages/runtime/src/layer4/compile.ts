/** @module layer4/compile: turns routes, matcher sets and handler chains from JSON into compiled objects at load. */
import { Layer4ConfigError } from './errors.js';
import { HANDLERS, MATCHERS, PLANNED } from './modules.js';
import type { CompiledRoute, Compiler, Handler, Layer4Runtime, Matcher, MatcherSets } from './types.js';
import { MORE, type MatchResult } from './types.js';
import type { Connection } from './connection.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownModule(kind: 'matchers' | 'handlers', name: string, path: string): Layer4ConfigError {
  const id = `layer4.${kind}.${name}`;
  return new Layer4ConfigError(
    path,
    PLANNED.has(id) ? `module ${id} is not implemented in this runtime yet` : `unknown module ${id}`,
  );
}

class CompiledMatcherSets implements MatcherSets {
  constructor(
    readonly sets: Matcher[][],
    readonly postgres: boolean,
  ) {}

  match(cx: Connection): MatchResult {
    let more = false;
    for (const set of this.sets) {
      const r = matchAll(set, cx);
      if (r === true) return true;
      if (r === MORE) more = true;
    }
    return more ? MORE : false;
  }
}

/** AND of one set: false as soon as one says false; MORE if one needs bytes and none said false. */
function matchAll(set: Matcher[], cx: Connection): MatchResult {
  let more = false;
  for (const m of set) {
    const r = m.match(cx);
    if (r === false) return false;
    if (r === MORE) more = true;
  }
  return more ? MORE : true;
}

/**
 * Whether a route's config shows it serves PostgreSQL: a postgres matcher, a postgres_tls handler, or the
 * ALPN protocol "postgresql" (PG17 direct TLS) in a tls matcher or policy.
 */
function mentionsPostgres(json: unknown): boolean {
  if (Array.isArray(json)) return json.some(mentionsPostgres);
  if (!isObject(json)) return json === 'postgresql';
  if (json['handler'] === 'postgres_tls' || 'postgres' in json) return true;
  return Object.entries(json).some(
    ([k, v]) => (k === 'alpn' || k === 'match' || k === 'tls' || k === 'connection_policies') && mentionsPostgres(v),
  );
}

/** A compiler bound to one runtime. */
export function createCompiler(runtime: Layer4Runtime): Compiler {
  const compiler: Compiler = {
    runtime,
    matcherSets(json, path) {
      if (!Array.isArray(json)) throw new Layer4ConfigError(path, 'expected an array of matcher sets');
      let postgres = false;
      const sets = json.map((set, i) => {
        const setPath = `${path}[${i}]`;
        if (!isObject(set)) throw new Layer4ConfigError(setPath, 'expected an object of matchers');
        return Object.entries(set).map(([name, cfg]) => {
          const mod = MATCHERS.get(name);
          if (!mod?.create) throw unknownModule('matchers', name, `${setPath}.${name}`);
          if (name === 'postgres') postgres = true;
          return mod.create(cfg, compiler, `${setPath}.${name}`);
        });
      });
      return new CompiledMatcherSets(sets, postgres);
    },
    handlers(json, path) {
      if (json === undefined) return [];
      if (!Array.isArray(json)) throw new Layer4ConfigError(path, 'expected an array of handlers');
      return json.map((h, i): Handler => {
        const hPath = `${path}[${i}]`;
        if (!isObject(h)) throw new Layer4ConfigError(hPath, 'expected a handler object');
        const name = h['handler'];
        if (typeof name !== 'string') throw new Layer4ConfigError(`${hPath}.handler`, 'missing handler name');
        const mod = HANDLERS.get(name);
        if (!mod?.create) throw unknownModule('handlers', name, `${hPath}.handler`);
        return mod.create(h, compiler, hPath);
      });
    },
    routes(json, path, matchingTimeoutMs) {
      if (json === undefined) return { routes: [], matchingTimeoutMs, postgres: false };
      if (!Array.isArray(json)) throw new Layer4ConfigError(path, 'expected an array of routes');
      let postgres = false;
      const routes = json.map((r, i): CompiledRoute => {
        const rPath = `${path}[${i}]`;
        if (!isObject(r)) throw new Layer4ConfigError(rPath, 'expected a route object');
        for (const key of Object.keys(r)) {
          if (key !== 'match' && key !== 'handle') throw new Layer4ConfigError(`${rPath}.${key}`, 'unknown field');
        }
        const match = r['match'];
        const matchers =
          match === undefined || (Array.isArray(match) && match.length === 0)
            ? null
            : compiler.matcherSets(match, `${rPath}.match`);
        const handle = r['handle'];
        if (mentionsPostgres(match) || mentionsPostgres(handle)) postgres = true;
        return { path: rPath, matchers, handlers: compiler.handlers(handle, `${rPath}.handle`) };
      });
      return { routes, matchingTimeoutMs, postgres };
    },
  };
  return compiler;
}
