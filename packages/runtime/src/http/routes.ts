/** @module http/routes: routes compiled at load time, and the route-list runner (match, group, terminal). */
import type { Route } from '@proxy/contract';
import type { LoadContext } from '../modules.js';
import { joinPath } from '../util/errors.js';
import { emptyNext, type Handler, type Next, type RequestMatcher } from './handler.js';
import type { HttpRequest } from './request.js';
import type { ResponseWriter } from './response.js';

/** Matcher sets: OR of ANDs. */
export type MatcherSets = RequestMatcher[][];

/** True when no sets are given or any set fully matches. */
export function anyMatch(sets: MatcherSets, r: HttpRequest): boolean {
  if (sets.length === 0) return true;
  outer: for (const set of sets) {
    for (const m of set) if (!m.match(r)) continue outer;
    return true;
  }
  return false;
}

/** Loads matcher sets (`[{"host": [...]}, ...]`). */
export async function compileMatcherSets(
  sets: unknown[] | undefined,
  ctx: LoadContext,
  path: string,
): Promise<MatcherSets> {
  const out: MatcherSets = [];
  for (const [i, set] of (sets ?? []).entries()) {
    const loaded = await ctx.loadMap<RequestMatcher>(
      set as Record<string, unknown>,
      'http.matchers',
      joinPath(path, i),
    );
    out.push(loaded.map((l) => l.module));
  }
  return out;
}

interface CompiledRoute {
  group: string | undefined;
  sets: MatcherSets;
  handlers: Handler[];
  terminal: boolean;
}

/** Writes the handled error's status when error routes wrote nothing (Caddy's errorEmptyHandler). */
export const errorEmptyNext: Next = (r, w) => {
  if (!w.wroteHeader) w.writeHead(r.error?.status ?? 500);
};

/** Wraps each handler of a route list as it is loaded (metrics instrumentation); gets the module's name. */
export type HandlerWrap = (h: Handler, name: string) => Handler;

/** A compiled list of routes. */
export class RouteList {
  private constructor(private readonly routes: CompiledRoute[]) {}

  /** Compiles routes; child modules are provisioned through `ctx`. */
  static async compile(
    routes: Route[] | undefined,
    ctx: LoadContext,
    path: string,
    wrap?: HandlerWrap,
  ): Promise<RouteList> {
    const out: CompiledRoute[] = [];
    for (const [i, rt] of (routes ?? []).entries()) out.push(await compileRoute(rt, ctx, joinPath(path, i), wrap));
    return new RouteList(out);
  }

  /** A list of one route whose JSON path is `path` itself (named routes). */
  static async compileOne(route: Route, ctx: LoadContext, path: string): Promise<RouteList> {
    return new RouteList([await compileRoute(route, ctx, path)]);
  }

  get length(): number {
    return this.routes.length;
  }

  /**
   * Runs the routes; `next` is what follows the last route. Returns nothing when every handler on the way
   * answered synchronously (a promise otherwise), so that such a request takes no promise and no microtask.
   */
  serve(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> | void {
    return this.runFrom(0, r, w, next);
  }

  private runFrom(i: number, r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> | void {
    for (; i < this.routes.length; i++) {
      const rt = this.routes[i]!;
      if (!anyMatch(rt.sets, r)) continue;
      if (rt.group) {
        if (r.groups.has(rt.group)) continue;
        r.groups.add(rt.group);
      }
      const idx = i;
      const after: Next = rt.terminal
        ? r.error
          ? errorEmptyNext
          : emptyNext
        : (r2, w2) => this.runFrom(idx + 1, r2, w2, next);
      return runChain(rt.handlers, 0, r, w, after);
    }
    return next(r, w);
  }
}

async function compileRoute(rt: Route, ctx: LoadContext, p: string, wrap?: HandlerWrap): Promise<CompiledRoute> {
  const sets = await compileMatcherSets(rt.match, ctx, joinPath(p, 'match'));
  const handlers: Handler[] = [];
  for (const [j, h] of (rt.handle ?? []).entries()) {
    const loaded = await ctx.load<Handler>(h, 'http.handlers', 'handler', joinPath(joinPath(p, 'handle'), j));
    handlers.push(wrap ? wrap(loaded, String((h as { handler: unknown }).handler)) : loaded);
  }
  return { group: rt.group || undefined, sets, handlers, terminal: rt.terminal === true };
}

/**
 * Runs handler k and, through its `next`, the rest. A handler that throws gives a rejected promise, as an
 * async handler would: the handler before it sees the error the same way whichever kind threw.
 */
function runChain(hs: Handler[], k: number, r: HttpRequest, w: ResponseWriter, after: Next): Promise<void> | void {
  try {
    if (k >= hs.length) return after(r, w);
    return hs[k]!.serve(r, w, (r2, w2) => runChain(hs, k + 1, r2, w2, after));
  } catch (e) {
    return Promise.reject(e);
  }
}
