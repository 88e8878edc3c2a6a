/**
 * @module route: HTTP routes as the adapter builds them (Caddy's `caddyhttp.Route`/`Subroute`), sorting by
 * directive order, mutually exclusive groups, consolidation, and wrapping a site's routes.
 */
import type { AdaptedHttpHandler, AdaptedMatcherSet, Route as RouteJson, SubrouteHandler } from '@proxy/contract';
import type { ConfigValue } from '../registry.js';
import { moduleObject, struct } from '../json.js';
import { AdaptError } from './errors.js';
import { byteLength, compareBytes, sliceStable } from './go-sort.js';

/** A route: optional group, matcher sets (ORed), handlers (module objects), terminal flag. */
export interface Route {
  group?: string;
  match?: AdaptedMatcherSet[];
  handle?: AdaptedHttpHandler[];
  terminal?: boolean;
}

/** A list of routes a directive returns to keep together, in order (Caddy returning a `Subroute` value). */
export interface SubrouteValue {
  kind: 'subroute';
  routes: Route[];
  errors?: { routes: Route[] };
}

/** Whether a config value is a list of routes to splice in. */
export function isSubrouteValue(v: unknown): v is SubrouteValue {
  return typeof v === 'object' && v !== null && (v as SubrouteValue).kind === 'subroute';
}

const ROUTE_KEYS = new Set(['group', 'match', 'handle', 'terminal']);

/** Whether a config value is a single route (an object with only route fields). */
export function isRoute(v: unknown): v is Route {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isSubrouteValue(v)) return false;
  for (const k of Object.keys(v)) if (!ROUTE_KEYS.has(k)) return false;
  return true;
}

/** A route in Go struct order (group, match, handle, terminal), as at the top level of a server. */
export function routeJSON(r: Route): RouteJson {
  return struct<RouteJson>({ group: r.group, match: r.match, handle: r.handle, terminal: r.terminal });
}

/** A subroute handler module object (`{"handler":"subroute","routes":[...]}`, all keys sorted). */
export function subrouteHandler(s: SubrouteValue): SubrouteHandler {
  return moduleObject<SubrouteHandler>(
    'handler',
    'subroute',
    struct({
      routes: s.routes.map(routeJSON),
      errors: s.errors ? { routes: s.errors.routes.map(routeJSON) } : undefined,
    }),
  );
}

/** The group counter shared by an adaptation (named routes use their own). */
export class GroupCounter {
  private n = 0;
  next(): string {
    return `group${this.n++}`;
  }
}

/** Go's `len` of a string: its UTF-8 byte length. */
const blen = byteLength;

/** What sorting compares of a value, worked out once per value rather than per comparison. */
interface SortKey {
  value: ConfigValue;
  directive: string;
  /** Position in the directive order (0 when absent, as Caddy's map lookup gives). */
  rank: number;
  route: boolean;
  /** A route's only path (one matcher set with one path), its byte length, and without a trailing `*`. */
  path: string | undefined;
  pathLen: number;
  trimmed: string;
  trimmedLen: number;
  matchSets: number;
}

function sortKey(value: ConfigValue, order: readonly string[]): SortKey {
  const directive = value.directive ?? '';
  const route = isRoute(value.value);
  const r = value.value as Route;
  let path: string | undefined;
  if (route && r.match?.length === 1) {
    const p = r.match[0]!.path;
    if (p?.length === 1) path = p[0];
  }
  const trimmed = path?.replace(/\*$/, '') ?? '';
  return {
    value,
    directive,
    rank: Math.max(order.lastIndexOf(directive), 0),
    route,
    path,
    pathLen: path === undefined ? 0 : blen(path),
    trimmed,
    trimmedLen: blen(trimmed),
    matchSets: route ? (r.match?.length ?? 0) : 0,
  };
}

/** Caddy's `sortRoutes`: by directive order, then path specificity (`vars` inverted). */
export function sortRoutes(routes: ConfigValue[], order: readonly string[]): void {
  if (routes.length < 2) return;
  const keys = routes.map((r) => sortKey(r, order));
  sliceStable(keys, (a, b) => {
    if (a.directive !== b.directive) return a.rank < b.rank;
    if (!a.route || !b.route) return false;
    let byPath: boolean;
    if (a.pathLen > 0 && b.pathLen > 0) {
      if (a.trimmed === b.trimmed) byPath = a.pathLen < b.pathLen;
      else if (a.trimmedLen === b.trimmedLen) byPath = compareBytes(a.trimmed, b.trimmed) < 0;
      else byPath = a.trimmedLen > b.trimmedLen;
    } else byPath = a.matchSets > 0 && b.matchSets === 0;
    return a.directive === 'vars' ? !byPath : byPath;
  });
  for (let i = 0; i < keys.length; i++) routes[i] = keys[i]!.value;
}

/** Caddy's `buildSubroute`: sorts (optionally), assigns mutually exclusive groups, flattens and consolidates. */
export function buildSubroute(
  values: ConfigValue[],
  gc: GroupCounter,
  needsSorting: boolean,
  order: readonly string[],
): SubrouteValue {
  if (needsSorting) {
    for (const v of values) {
      if (!order.includes(v.directive ?? '')) {
        throw new AdaptError(
          `directive '${v.directive}' is not an ordered HTTP handler, so it cannot be used here - try placing within a route block or using the order global option`,
        );
      }
    }
    sortRoutes(values, order);
  }
  let handles = 0;
  let roots = 0;
  for (const v of values) {
    if (v.directive === 'handle') handles++;
    else if (v.directive === 'root') roots++;
  }
  const groups = new Map<string, string | undefined>();
  groups.set('handle', handles > 1 ? gc.next() : undefined);
  groups.set('rewrite', gc.next());
  groups.set('root', roots > 1 ? gc.next() : undefined);
  const routes: Route[] = [];
  for (const v of values) {
    const value = v.value;
    if (isSubrouteValue(value)) routes.push(...value.routes);
    else if (isRoute(value))
      routes.push(groups.has(v.directive ?? '') ? { ...value, group: groups.get(v.directive!) } : value);
  }
  return { kind: 'subroute', routes: consolidateRoutes(routes) };
}

/** A route's matchers encoded, to compare (Go's HTML escaping would change no comparison, so it is skipped). */
function matchKey(r: Route): string {
  return r.match === undefined ? 'nil' : (JSON.stringify(r.match) ?? 'null');
}

/** Caddy's `consolidateRoutes`: merges adjacent routes with identical matchers, terminal flag and group. */
export function consolidateRoutes(routes: Route[]): Route[] {
  const out = routes.map((r) => ({ ...r }));
  // Matchers are encoded only when that decides (not the same list, both present), each route's once.
  const keys: (string | undefined)[] = out.map(() => undefined);
  const keyAt = (i: number): string => (keys[i] ??= matchKey(out[i]!));
  for (let i = 0; i < out.length - 1; i++) {
    const a = out[i]!;
    const b = out[i + 1]!;
    const sameMatch =
      a.match === b.match || (a.match !== undefined && b.match !== undefined && keyAt(i) === keyAt(i + 1));
    if (sameMatch && !!a.terminal === !!b.terminal && (a.group ?? '') === (b.group ?? '')) {
      a.handle = [...(a.handle ?? []), ...(b.handle ?? [])];
      out.splice(i + 1, 1);
      keys.splice(i + 1, 1);
      i--;
    }
  }
  return out;
}

/**
 * Caddy's `appendSubrouteToRouteList`: a site's routes, wrapped in a terminal subroute route unless they can stand alone.
 * Appends to `list` in place (like Go's append; a copy per site made thousands of sites quadratic) and returns it.
 */
export function appendSubrouteToRouteList(
  list: Route[],
  sub: SubrouteValue,
  matcherSets: AdaptedMatcherSet[],
  blocksInPairing: number,
): Route[] {
  if (matcherSets.length === 0 && sub.routes.length === 0 && !sub.errors) return list;
  let wrap = true;
  if (matcherSets.length === 0 && blocksInPairing === 1) {
    wrap = sub.routes.some((r) => (r.match ?? []).some((ms) => 'host' in ms));
  }
  if (!wrap) {
    list.push(...sub.routes);
    return list;
  }
  const route: Route = { terminal: true };
  if (matcherSets.length > 0) route.match = matcherSets;
  if (sub.routes.length > 0 || sub.errors) route.handle = [subrouteHandler(sub)];
  if (route.match || route.handle) list.push(route);
  return list;
}
