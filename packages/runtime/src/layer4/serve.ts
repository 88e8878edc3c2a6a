/** @module layer4/serve: the per-connection matching loop over a compiled route list (caddy-l4's RouteList.Compile). */
import type { Connection } from './connection.js';
import { postgresFallback } from './postgres/fallback.js';
import type { CompiledRoute, Handler, Layer4Runtime, Next, RouteList } from './types.js';
import { MORE } from './types.js';

/** At most this many SSLRequest/GSSENCRequest refusals per connection (libpq sends at most two). */
const MAX_POSTGRES_REFUSALS = 2;

/**
 * Routes one connection. Routes are tried in order on the bytes buffered so far; a route that needs more
 * bytes stops the pass (later routes must not steal the connection) and one more chunk is read, all within
 * one matching deadline. The first matching route runs its handler chain; if every handler called next the
 * route was non-terminal and matching continues with the later routes on the (maybe wrapped) connection.
 * When nothing (more) matches, `next` gets the connection — the fall-through.
 * Rejects with a MatchingError when the deadline passes, the buffer fills up, or the client goes away.
 */
export async function serveRoutes(
  list: RouteList,
  first: Connection,
  next: Next,
  runtime: Layer4Runtime,
): Promise<void> {
  const deadline = performance.now() + list.matchingTimeoutMs;
  const routes = list.routes;
  let cx = first;
  let start = 0;
  let notMatched: boolean[] = [];
  let refusals = 0;
  for (;;) {
    let needMore = false;
    let matched = -1;
    for (let i = start; i < routes.length; i++) {
      if (notMatched[i]) continue;
      const r = routes[i]!.matchers?.match(cx) ?? true;
      if (r === MORE) {
        needMore = true;
        break;
      }
      if (r) {
        matched = i;
        break;
      }
      notMatched[i] = true;
    }
    if (matched >= 0) {
      const route = routes[matched]!;
      cx.log.debug({ route: route.path }, 'layer4 route matched');
      const continued = await runRoute(route, cx);
      if (!continued) return;
      cx = continued;
      start = matched + 1;
      notMatched = [];
      if (start >= routes.length) return next(cx);
      continue;
    }
    if (needMore) {
      await cx.prefetch(deadline);
      continue;
    }
    const action = await postgresFallback(cx, runtime, list.postgres, refusals < MAX_POSTGRES_REFUSALS);
    if (action === 'done') return;
    if (action === 'rematch') {
      refusals++;
      notMatched = [];
      continue;
    }
    return next(cx);
  }
}

/** Runs a route's handler chain; resolves with the connection the chain ended with, or undefined if terminal. */
async function runRoute(route: CompiledRoute, cx: Connection): Promise<Connection | undefined> {
  let continued: Connection | undefined;
  await runChain(route.handlers, cx, async (c) => {
    continued = c;
  });
  return continued;
}

/** Runs handlers as a middleware chain ending in `last`. */
export function runChain(handlers: readonly Handler[], cx: Connection, last: Next): Promise<void> {
  const step = (i: number): Next =>
    i === handlers.length ? last : (c: Connection) => handlers[i]!.handle(c, step(i + 1));
  return step(0)(cx);
}
