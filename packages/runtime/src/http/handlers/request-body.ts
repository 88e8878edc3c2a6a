/** @module http/handlers/request-body: `http.handlers.request_body`: limits or replaces the request body. */
import { Readable, Transform } from 'node:stream';
import type { RequestBodyHandler } from '../../config/handlers.js';
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import { compileTemplate } from '../../util/template.js';
import { HandlerError } from '../errors.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';

/** Passes at most `max` bytes, then fails with a 413 HandlerError. */
export function limitBody(body: Readable, max: number): Readable {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new HandlerError(413, 'request body too large'));
      else cb(null, chunk);
    },
  });
  body.on('error', (e) => t.destroy(e));
  return body.pipe(t);
}

export const requestBody: ModuleInfo<Handler> = {
  id: 'http.handlers.request_body',
  schema: s.obj({ max_size: s.int, set: s.str }),
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
          const declared = Number(r.headers.get('content-length') ?? NaN);
          if (declared > c.max_size) throw new HandlerError(413, 'request body too large');
          r.body = limitBody(r.body, c.max_size);
        }
        return next(r, w);
      },
    };
  },
};
