/** @module http/handlers/invoke: `http.handlers.invoke`: runs one of the server's named routes. */
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { invokeSchema } from '@proxy/contract';

/** Set by the server while it compiles routes: the names of its named routes. */
export const NAMED_ROUTES_KEY = 'http:named_route_names';

export const invokeHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.invoke',
  kind: 'handler',
  doc: 'Runs a named route.',
  schema: invokeSchema,
  create(json, ctx, path) {
    const name = (json as { name?: string }).name ?? '';
    const names = ctx.apps.get(NAMED_ROUTES_KEY) as Set<string> | undefined;
    if (!names?.has(name)) throw ConfigError.at(joinPath(path, 'name'), `no named route "${name}" in this server`);
    return {
      serve(r, w, next) {
        const route = r.namedRoutes?.get(name);
        if (!route) throw new HandlerError(500, `named route "${name}" not found`);
        return route.serve(r, w, next);
      },
    };
  },
};
