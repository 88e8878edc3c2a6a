/** @module http/handlers/request-body: `http.handlers.request_body`: limits or replaces the request body. */
import { Readable, Transform } from 'node:stream';
import { requestBodySchema, type RequestBodyHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { compileTemplate } from '../../util/template.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';

/**
 * Passes at most `max` bytes, then fails with a 413 HandlerError (Go's http.MaxBytesReader behind Caddy's
 * errorWrapper). `onLimit` runs once, when the limit trips.
 */
export function limitBody(body: Readable, max: number, onLimit?: () => void): Readable {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen <= max) {
        cb(null, chunk);
        return;
      }
      onLimit?.();
      cb(new HandlerError(413, 'request body too large'));
    },
  });
  // The reader sees the 413 through its own listener; without one (a reader that stopped listening), an
  // 'error' event must not end the process.
  t.on('error', () => {});
  body.on('error', (e) => t.destroy(e));
  return body.pipe(t);
}

export const requestBody: RuntimeModule<Handler> = {
  id: 'http.handlers.request_body',
  kind: 'handler',
  doc: 'Limits (or replaces) the request body.',
  schema: requestBodySchema,
  create(json, ctx) {
    const c = json as RequestBodyHandler;
    const set = c.set !== undefined ? compileTemplate(c.set, ctx.env) : undefined;
    return {
      serve(r, w, next) {
        if (set) {
          const body = Buffer.from(set.render(requestResolver(r)));
          r.raw.resume();
          r.body = Readable.from([body]);
          r.headers.set('Content-Length', String(body.length));
        }
        if (c.max_size !== undefined && c.max_size > 0) {
          // Like Caddy, the limit applies to what a handler reads: a declared Content-Length alone is not an
          // error, and a handler that never reads the body (respond) answers as usual.
          const max = c.max_size;
          r.wrapBody((b) =>
            limitBody(b, max, () => {
              // The rest of the body stays unread, so the connection cannot carry another request (Go's
              // MaxBytesReader asks the server to close after the reply the same way).
              if (!w.wroteHeader) w.header.set('Connection', 'close');
            }),
          );
        }
        return next(r, w);
      },
    };
  },
};
