/** @module http/handlers/subroute: `http.handlers.subroute`: nested routes with their own error routes. */
import { subrouteSchema, type SubrouteHandler } from '@proxy/contract';
import type { LoadContext, RuntimeModule } from '../../modules.js';
import { joinPath } from '../../util/errors.js';
import { asHandlerError } from '../errors.js';
import type { Handler, Next } from '../handler.js';
import type { HttpRequest } from '../request.js';
import type { ResponseWriter } from '../response.js';
import { errorEmptyNext, RouteList } from '../routes.js';

class Subroute implements Handler {
  private routes!: RouteList;
  private errors: RouteList | undefined;
  constructor(
    private readonly c: SubrouteHandler,
    private readonly path: string,
  ) {}

  async provision(ctx: LoadContext): Promise<void> {
    this.routes = await RouteList.compile(this.c.routes, ctx, joinPath(this.path, 'routes'));
    if (this.c.errors?.routes)
      this.errors = await RouteList.compile(
        this.c.errors.routes,
        ctx,
        joinPath(joinPath(this.path, 'errors'), 'routes'),
      );
  }

  async serve(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> {
    try {
      await this.routes.serve(r, w, next);
    } catch (e) {
      if (!this.errors || w.wroteHeader) throw e;
      r.error = asHandlerError(e);
      await this.errors.serve(r, w, errorEmptyNext);
    }
  }
}

export const subroute: RuntimeModule<Handler> = {
  id: 'http.handlers.subroute',
  kind: 'handler',
  doc: 'Runs a nested list of routes, with their own error routes.',
  schema: subrouteSchema,
  create: (json, _ctx, path) => new Subroute(json as SubrouteHandler, path),
};
