/** @module http/handlers/error: `http.handlers.error`: fails the request to run error routes. */
import { errorSchema, type ErrorHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { joinPath } from '../../util/errors.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';
import { compileStatus } from './static-response.js';

/** Caddy's {http.error.trace} for errors of this handler: the Go function and line that made them. */
const TRACE = 'caddyhttp.StaticError.ServeHTTP (staticerror.go:110)';

export const errorHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.error',
  kind: 'handler',
  doc: 'Returns an error, which the error routes handle.',
  schema: errorSchema,
  create(json, ctx, path) {
    const c = json as ErrorHandler;
    const status = compileStatus(c.status_code, 500, joinPath(path, 'status_code'), ctx.env);
    // Caddy keeps the message as written: placeholders in it are not replaced.
    const message = c.error ?? '';
    return {
      async serve(r) {
        const res = requestResolver(r);
        throw new HandlerError(status(res), message).from(TRACE);
      },
    };
  },
};
