/** @module http/handlers/error: `http.handlers.error`: fails the request to run error routes. */
import type { ErrorHandler } from '../../config/handlers.js';
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import { joinPath } from '../../util/errors.js';
import { compileTemplate } from '../../util/template.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';
import { compileStatus } from './static-response.js';

/** Caddy's {http.error.trace} for errors of this handler: the Go function and line that made them. */
const TRACE = 'caddyhttp.StaticError.ServeHTTP (staticerror.go:110)';

export const errorHandler: ModuleInfo<Handler> = {
  id: 'http.handlers.error',
  schema: s.obj({ error: s.str, status_code: s.intOrStr }),
  create(json, ctx, path) {
    const c = json as ErrorHandler;
    const status = compileStatus(c.status_code, 500, joinPath(path, 'status_code'), ctx.env);
    const msg = compileTemplate(c.error ?? '', ctx.env);
    return {
      async serve(r) {
        const res = requestResolver(r);
        throw new HandlerError(status(res), msg.render(res)).from(TRACE);
      },
    };
  },
};
