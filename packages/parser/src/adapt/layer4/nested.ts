/**
 * @module layer4/nested: caddy-l4's shared Caddyfile grammar (layer4/caddyfile.go): matcher sets,
 * handler lists, and the route block used by servers, the listener wrapper and `subroute`.
 */
import { Dispenser } from '../../caddyfile/dispenser.js';
import type { Token } from '../../caddyfile/token.js';
import type { AdaptedLayer4Handler, Layer4MatcherSet, Layer4Route } from '@proxy/contract';
import { sortedMap, struct } from '../json.js';
import { moduleOf } from '../tls/fields.js';
import { unmarshalModule, type ModuleContext } from './registry.js';
import { durationArg, OnceOptions } from './syntax.js';

/**
 * Parses a matcher set (`ParseCaddyfileNestedMatcherSet`): the matchers after the current token on its line,
 * or those in the block it opens, each parsed by `layer4.matchers.<name>`. The result maps matcher names
 * (sorted, a Go map) to their JSON. A matcher given twice is an error.
 */
export function parseMatcherSet(d: Dispenser, ctx: ModuleContext = {}): Layer4MatcherSet {
  const tokensByName = new Map<string, Token[]>();
  for (const nesting = d.nesting(); d.nextArg() || d.nextBlock(nesting); ) {
    const name = d.val();
    if (tokensByName.has(name)) throw d.err(`duplicate matcher module '${name}'`);
    tokensByName.set(name, d.nextSegment());
  }
  const set: Record<string, Layer4MatcherSet[string]> = {};
  for (const [name, tokens] of tokensByName) {
    const dd = new Dispenser(tokens);
    dd.next();
    set[name] = unmarshalModule(dd, 'layer4-matcher', `layer4.matchers.${name}`, ctx);
  }
  return sortedMap(set);
}

/**
 * Parses the handlers in the block opened on the current line (`ParseCaddyfileNestedHandlers`), each by
 * `layer4.handlers.<name>`, as module objects (`"handler": name`, every key sorted).
 */
export function parseHandlers(d: Dispenser): AdaptedLayer4Handler[] {
  const handlers: AdaptedLayer4Handler[] = [];
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const name = d.val();
    const value = unmarshalModule(d, 'layer4-handler', `layer4.handlers.${name}`);
    handlers.push(moduleOf<AdaptedLayer4Handler>('handler', name, value));
  }
  return handlers;
}

/** What a route block gives (fields of a layer4 Server, ListenerWrapper or subroute Handler). */
export interface NestedRoutes {
  /** Routes in Go struct order (`match`, `handle`). */
  routes: Layer4Route[];
  matchingTimeout?: number;
  idleTimeout?: number;
}

/** Options of `parseNestedRoutes`. */
export interface NestedRoutesOptions {
  /** The name used in error messages (`duplicate <wrapper> option ...`). */
  wrapper: string;
  /** Whether `idle_timeout` is allowed (servers only). */
  idleTimeout?: boolean;
}

/**
 * Parses a route block (`ParseCaddyfileNestedRoutes`):
 *
 *     matching_timeout <duration>
 *     idle_timeout <duration>        (servers only)
 *     @name <matcher> [<args...>]    (or a block of matchers)
 *     route [@name...] { <handler> [<args...>] ... }
 *
 * All matcher sets are collected before routes are built, so a set may be defined after its use. Several
 * `@names` on a route are OR-ed; none means the route matches everything.
 */
export function parseNestedRoutes(d: Dispenser, opts: NestedRoutesOptions): NestedRoutes {
  const out: NestedRoutes = { routes: [] };
  const once = new OnceOptions(opts.wrapper);
  const sets = new Map<string, Layer4MatcherSet>();
  const routeSegments: Dispenser[] = [];
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const option = d.val();
    if (option.startsWith('@')) {
      if (option.length <= 1) throw d.err(`malformed ${opts.wrapper}: matcher set name '${option}' is too short`);
      if (sets.has(option)) throw d.err(`duplicate matcher set '${option}'`);
      const set = parseMatcherSet(d, { matcherName: option.slice(1) });
      if (Object.keys(set).length === 0) throw d.argErr();
      sets.set(option, set);
    } else if (option === 'route') {
      routeSegments.push(d.newFromNextSegment());
    } else if (option === 'matching_timeout' || (option === 'idle_timeout' && opts.idleTimeout)) {
      once.mark(d, option);
      const ns = durationArg(d, opts.wrapper, option);
      if (option === 'matching_timeout') out.matchingTimeout = ns;
      else out.idleTimeout = ns;
    } else {
      throw d.argErr();
    }
  }
  for (const rd of routeSegments) out.routes.push(parseRoute(rd, sets));
  return out;
}

/** One `route [@name...] { handlers }` segment; the dispenser starts before `route`. */
function parseRoute(d: Dispenser, sets: ReadonlyMap<string, Layer4MatcherSet>): Layer4Route {
  d.next();
  const match: Layer4MatcherSet[] = [];
  while (d.nextArg()) {
    const set = sets.get(d.val());
    if (!set) throw d.err(`undefined matcher set '${d.val()}'`);
    match.push(set);
  }
  return struct<Layer4Route>({ match, handle: parseHandlers(d) });
}
