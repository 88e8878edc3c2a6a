/** @module directives/routing: `handle`, `handle_path`, `route`, `handle_errors`, `invoke`. */
import type { Helper } from '../helper.js';
import type { ConfigValue } from '../registry.js';
import type { InvokeHandler, SubrouteHandler } from '@proxy/contract';
import { HelperImpl } from '../core/helper-impl.js';
import { buildSubroute, isRoute, isSubrouteValue, subrouteHandler, type SubrouteValue } from '../core/route.js';
import type { ModuleOfKind } from '../module.js';

function impl(h: Helper): HelperImpl {
  if (!(h instanceof HelperImpl)) throw new Error('internal: helper is not the adapter helper');
  return h;
}

/** The segment's block as a subroute value (sorted by directive order). */
export function segmentAsSubroute(h: Helper): SubrouteValue {
  const hi = impl(h);
  return buildSubroute(hi.parseSegmentAsConfig(), hi.scope.groupCounter, true, hi.scope.ctx.order);
}

/** `handle [matcher] { ... }`: its directives sorted, in a subroute. */
export function parseHandle(h: Helper): SubrouteHandler {
  return h.parseSegmentAsSubroute();
}

/** `route [matcher] { ... }`: its directives in source order, in a subroute. */
export function parseRoute(h: Helper): SubrouteHandler {
  const hi = impl(h);
  const results = hi.parseSegmentAsConfig();
  for (const r of results) {
    if (r.class !== 'route' || (!isRoute(r.value) && !isSubrouteValue(r.value))) {
      throw h.err(
        `${r.directive} directive returned something other than an HTTP route or subroute: ${JSON.stringify(r.value)} (only handler directives can be used in routes)`,
      );
    }
  }
  return subrouteHandler(buildSubroute(results, hi.scope.groupCounter, false, hi.scope.ctx.order));
}

/** `handle_path <path> { ... }`: like handle, with the path prefix stripped first. */
export function parseHandlePath(h: Helper): ConfigValue[] {
  h.next();
  if (!h.nextArg()) throw h.argErr();
  const path = h.val();
  if (!path.startsWith('/')) throw h.err(`path matcher must begin with '/', got ${path}`);
  let strip = path;
  if (path.endsWith('/*')) strip = path.slice(0, -2);
  else if (path.endsWith('*')) strip = path.slice(0, -1);
  h.reset();
  h.next();
  const sub = segmentAsSubroute(h);
  sub.routes = [{ handle: [{ handler: 'rewrite', strip_path_prefix: strip }] }, ...sub.routes];
  return h.newRoute({ path: [path] }, subrouteHandler(sub));
}

/** `handle_errors [codes...] { ... }`: error routes, optionally matched by status code. */
export function parseHandleErrors(h: Helper): ConfigValue[] {
  h.next();
  let expression = '';
  const args = h.remainingArgs();
  if (args.length > 0) {
    const codes: string[] = [];
    for (let val of args) {
      if (val.length !== 3) throw h.err(`bad status value '${val}'`);
      if (val.endsWith('xx')) {
        val = val.slice(0, 1);
        if (!/^\d$/.test(val)) throw h.err(`bad status value '${val}': strconv.Atoi: parsing "${val}": invalid syntax`);
        if (expression !== '') expression += ' || ';
        expression += `{http.error.status_code} >= ${val}00 && {http.error.status_code} <= ${val}99`;
        continue;
      }
      if (!/^[+-]?\d+$/.test(val))
        throw h.err(`bad status value '${val}': strconv.Atoi: parsing "${val}": invalid syntax`);
      codes.push(val);
    }
    if (codes.length > 0) {
      if (expression !== '') expression += ' || ';
      expression += `{http.error.status_code} in [${codes.join(', ')}]`;
    }
    h.reset();
    h.next();
    h.remainingArgs();
    h.prev();
  } else h.prev();
  const inner = segmentAsSubroute(h);
  const route =
    expression !== ''
      ? { match: [{ expression }], handle: [subrouteHandler(inner)] }
      : { handle: [subrouteHandler(inner)] };
  const sub: SubrouteValue = { kind: 'subroute', routes: [route] };
  return [{ class: 'error_route', value: sub }];
}

/** `invoke <name>`: runs a named route; records the name so the server gets it. */
export function parseInvoke(h: Helper): InvokeHandler {
  h.next();
  if (!h.nextArg()) throw h.argErr();
  const name = h.val();
  while (h.nextBlock(0)) throw h.argErr();
  let names = h.state.get('named_route') as Set<string> | undefined;
  if (!names) h.state.set('named_route', (names = new Set()));
  names.add(name);
  return { handler: 'invoke', name };
}

export const HandleErrorsDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'handle_errors',
  syntax: 'handle_errors [<status_codes...>] { <directives...> }',
  doc: "Handles the errors of the site's handlers (error, a failed upstream, a missing file...) with other directives.",
  parse: parseHandleErrors,
};

export const HandlePathDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'handle_path',
  syntax: 'handle_path <path_prefix> { <directives...> }',
  doc: 'Like handle, but strips the path prefix before the block runs.',
  parse: parseHandlePath,
};

export const RouteDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'route',
  syntax: 'route [<matcher>] { <directives...> }',
  doc: 'Runs the directives inside in the order written, not sorted.',
  parse: parseRoute,
};

export const HandleDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'handle',
  syntax: 'handle [<matcher>] { <directives...> }',
  doc: 'Runs the directives inside; handle blocks at one level are mutually exclusive.',
  parse: parseHandle,
};

export const InvokeDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'invoke',
  syntax: 'invoke [<matcher>] <route_name>',
  doc: 'Runs a named route defined with &(name) { }.',
  parse: parseInvoke,
};
