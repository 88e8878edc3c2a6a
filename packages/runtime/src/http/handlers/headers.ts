/** @module http/handlers/headers: `http.handlers.headers`: request and response header operations. */
import { headersSchema, type HeadersHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { joinPath } from '../../util/errors.js';
import type { Resolver } from '../../util/template.js';
import type { Handler } from '../handler.js';
import { CompiledHeaderOps, CompiledRespHeaderOps } from '../header-ops.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';
import { WrappedWriter, type ResponseWriter } from '../response.js';

/** Applies response ops when the header is written (deferred/require). */
export class DeferredHeadersWriter extends WrappedWriter {
  constructor(
    inner: ResponseWriter,
    private readonly ops: CompiledRespHeaderOps,
    private readonly res: Resolver,
  ) {
    super(inner);
  }
  override writeHead(status: number): void {
    if (this.wroteHeader) return;
    if (this.ops.applies(status, this.header)) this.ops.apply(this.header, this.res);
    this.inner.writeHead(status);
  }
}

/**
 * Applies request ops as Caddy does: the Host field holds the request's host while they run, and its
 * last value afterwards is the new host (none: an empty host).
 */
export function applyRequestOps(ops: CompiledHeaderOps, r: HttpRequest, res: Resolver): void {
  r.headers.set('Host', r.hostport);
  ops.apply(r.headers, res);
  const hosts = r.headers.values('host');
  r.hostport = hosts.length ? hosts[hosts.length - 1]! : '';
  if (r.hostport) r.headers.set('Host', r.hostport);
  else r.headers.delete('host');
}

export const headersHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.headers',
  kind: 'handler',
  doc: 'Adds, sets, deletes and replaces request and response header fields.',
  schema: headersSchema,
  create(json, ctx, path) {
    const c = json as HeadersHandler;
    const req = c.request ? new CompiledHeaderOps(c.request, joinPath(path, 'request'), ctx.env) : undefined;
    const resp = c.response ? new CompiledRespHeaderOps(c.response, joinPath(path, 'response'), ctx.env) : undefined;
    return {
      serve(r, w, next) {
        const res = requestResolver(r, w);
        if (req) applyRequestOps(req, r, res);
        if (resp) {
          if (resp.deferred) w = new DeferredHeadersWriter(w, resp, res);
          else resp.apply(w.header, res);
        }
        return next(r, w);
      },
    };
  },
};
