/** @module http/handlers/reverse-proxy/copy-response: `copy_response` and `copy_response_headers`, used in handle_response routes. */
import type { Readable } from 'node:stream';
import type { RuntimeModule } from '../../../modules.js';
import { joinPath } from '../../../util/errors.js';
import { HandlerError } from '../../errors.js';
import type { Handler } from '../../handler.js';
import type { Header } from '../../header.js';
import type { HttpRequest } from '../../request.js';
import type { ResponseWriter } from '../../response.js';
import { compileStatus } from '../static-response.js';
import { requestResolver } from '../../replacer.js';
import { copyResponseSchema, copyResponseHeadersSchema } from '@proxy/contract';

/** The upstream response a handle_response route is handling. */
export interface ProxyResponse {
  status: number;
  headers: Header;
  body: Readable;
  /** Writes the response as the proxy would have (header_down, fields added to the writer's, body). */
  finalize: (w: ResponseWriter, status: number) => Promise<void>;
}

const pending = new WeakMap<HttpRequest, ProxyResponse>();

/** Makes the upstream response available to copy_response* handlers of this request. */
export function setProxyResponse(r: HttpRequest, res: ProxyResponse | undefined): void {
  if (res) pending.set(r, res);
  else pending.delete(r);
}

function need(r: HttpRequest, name: string): ProxyResponse {
  const res = pending.get(r);
  if (!res) throw new HandlerError(500, `${name} used outside reverse_proxy handle_response routes`);
  return res;
}

export const copyResponse: RuntimeModule<Handler> = {
  id: 'http.handlers.copy_response',
  kind: 'handler',
  doc: 'Writes the proxied response inside handle_response routes.',
  schema: copyResponseSchema,
  create(json, ctx, path) {
    const c = json as { status_code?: number | string };
    const status =
      c.status_code !== undefined
        ? compileStatus(c.status_code, 200, joinPath(path, 'status_code'), ctx.env)
        : undefined;
    return {
      async serve(r, w) {
        const res = need(r, 'copy_response');
        // Caddy's copy_response runs the proxy's finalizeResponse, header_down included.
        await res.finalize(w, status ? status(requestResolver(r, w)) : res.status);
      },
    };
  },
};

export const copyResponseHeaders: RuntimeModule<Handler> = {
  id: 'http.handlers.copy_response_headers',
  kind: 'handler',
  doc: "Copies the proxied response's header fields inside handle_response routes.",
  schema: copyResponseHeadersSchema,
  create(json) {
    const c = json as { include?: string[]; exclude?: string[] };
    const include = c.include?.map((h) => h.toLowerCase());
    const exclude = new Set((c.exclude ?? []).map((h) => h.toLowerCase()));
    return {
      serve(r, w, next) {
        const res = need(r, 'copy_response_headers');
        for (const [k, v] of res.headers.entries()) {
          const l = k.toLowerCase();
          if ((include && !include.includes(l)) || exclude.has(l)) continue;
          w.header.set(k, v);
        }
        return next(r, w);
      },
    };
  },
};
