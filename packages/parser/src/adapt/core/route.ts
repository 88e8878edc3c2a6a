/**
 * @module route: HTTP routes as the adapter builds them (Caddy's `caddyhttp.Route`/`Subroute`), sorting by
 * directive order, mutually exclusive groups, consolidation, and wrapping a site's routes.
 */
import type { ConfigValue } from '../registry.js';
import { moduleObject, struct, type JsonObject } from '../json.js';
import { AdaptError } from './errors.js';
import { byteLength, compareBytes, sliceStable } from './go-sort.js';

/** A route: optional group, matcher sets (ORed), handlers (module objects), terminal flag. */
export interface Route {
  group?: string;
  match?: JsonObject[];
  handle?: JsonObject[];
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
  return Object.keys(v).every((k) => ROUTE_KEYS.has(k));
}

/** A route in Go struct order (group, match, handle, terminal), as at the top level of a server. */
export function routeJSON(r: Route): JsonObject {
  return struct({ group: r.group, match: r.match, handle: r.handle, terminal: r.terminal });
}

/** A subroute handler module object (`{"handler":"subroute","routes":[...]}`, all keys sorted). */
export function subrouteHandler(s: SubrouteValue): JsonObject {
  return moduleObject('handler', 'subroute', struct({ routes: s.routes.map(routeJSON), errors: s.errors ? { routes: s.errors.routes.map(routeJSON) } : undefined }));
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

/** Caddy's `sortRoutes`: by directive order, then path specificity (`vars` inverted). */
export function sortRoutes(routes: ConfigValue[], order: readonly string[]): void {
  if (routes.length < 2) return;
  // Positions of the directives at hand only (a site has a few; the order lists dozens). The last mention wins.
  const pos = new Map<string, number>();
  for (const r of routes) {
    const d = r.directive ?? '';
    if (!pos.has(d)) pos.set(d, order.lastIndexOf(d));
  }
  const onePath = (r: Route): string[] => {
    if (r.match?.length !== 1) return [];
    const p = r.match[0]!['path'];
    return Array.isArray(p) ? (p as string[]) : [];
  };
  sliceStable(routes, (a, b) => {
    const ad = a.directive ?? '';
    const bd = b.directive ?? '';
    if (ad !== bd) return Math.max(pos.get(ad)!, 0) < Math.max(pos.get(bd)!, 0);
    if (!isRoute(a.value) || !isRoute(b.value)) return false;
    const ar = a.value;
    const br = b.value;
    const ap = onePath(ar);
    const bp = onePath(br);
    const ai = ap.length === 1 ? blen(ap[0]!) : 0;
    const bi = bp.length === 1 ? blen(bp[0]!) : 0;
    let byPath: boolean;
    if (ai > 0 && bi > 0) {
      const at = ap[0]!.replace(/\*$/, '');
      const bt = bp[0]!.replace(/\*$/, '');
      if (at === bt) byPath = blen(ap[0]!) < blen(bp[0]!);
      else if (blen(at) === blen(bt)) byPath = compareBytes(at, bt) < 0;
      else byPath = blen(at) > blen(bt);
    } else byPath = (ar.match?.length ?? 0) > 0 && (br.match?.length ?? 0) === 0;
    return ad === 'vars' ? !byPath : byPath;
  });
}

/** Caddy's `buildSubroute`: sorts (optionally), assigns mutually exclusive groups, flattens and consolidates. */
export function buildSubroute(values: ConfigValue[], gc: GroupCounter, needsSorting: boolean, order: readonly string[]): SubrouteValue {
  if (needsSorting) {
    for (const v of values) {
      if (!order.includes(v.directive ?? '')) {
        throw new AdaptError(`directive '${v.directive}' is not an ordered HTTP handler, so it cannot be used here - try placing within a route block or using the order global option`);
      }
    }
    sortRoutes(values, order);
  }
  const groups = new Map<string, string | undefined>();
  for (const dir of ['handle', 'rewrite', 'root']) {
    const count = values.filter((v) => v.directive === dir).length;
    groups.set(dir, count > 1 || dir === 'rewrite' ? gc.next() : undefined);
  }
  const routes: Route[] = [];
  for (const v of values) {
    const value = v.value;
    if (isSubrouteValue(value)) routes.push(...value.routes);
    else if (isRoute(value)) routes.push(groups.has(v.directive ?? '') ? { ...value, group: groups.get(v.directive!) } : value);
  }
  return { kind: 'subroute', routes: consolidateRoutes(routes) };
}

/** A route's matchers encoded, to compare (Go's HTML escaping would change no comparison, so it is skipped). */
function matchKey(r: Route): string {
  return r.match === undefined ? 'nil' : JSON.stringify(r.match) ?? 'null';
}

/** Caddy's `consolidateRoutes`: merges adjacent routes with identical matchers, terminal flag and group. */
export function consolidateRoutes(routes: Route[]): Route[] {
  const out = routes.map((r) => ({ ...r }));
  // Each route's matchers encoded once (a merged route keeps its own).
  const keys = out.map(matchKey);
  for (let i = 0; i < out.length - 1; i++) {
    const a = out[i]!;
    const b = out[i + 1]!;
    if (keys[i] === keys[i + 1] && !!a.terminal === !!b.terminal && (a.group ?? '') === (b.group ?? '')) {
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
export function appendSubrouteToRouteList(list: Route[], sub: SubrouteValue, matcherSets: JsonObject[], blocksInPairing: number): Route[] {
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
