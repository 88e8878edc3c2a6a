/** @module http/handlers/intercept: `http.handlers.intercept`: handles responses of later handlers by status/header (handle_response). */
import type { LoadContext, RuntimeModule } from '../../modules.js';
import { joinPath } from '../../util/errors.js';
import { HandlerError } from '../errors.js';
import type { Handler, Next } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';
import { WrappedWriter, type ResponseWriter } from '../response.js';
import { emptyNext } from '../handler.js';
import { RouteList } from '../routes.js';
import { compileStatus } from './static-response.js';
import { interceptSchema } from '@proxy/contract';

interface RespHandlerConfig {
  match?: { status_code?: number[]; headers?: Record<string, string[] | null> };
  status_code?: number | string;
  routes?: unknown[];
}

interface RespHandler {
  matches(status: number, w: ResponseWriter): boolean;
  status: ((res: (k: string) => string | undefined) => number) | undefined;
  routes: RouteList | undefined;
}

const MAX_BUFFER = 16 << 20;

/** Holds back a response that some handler wants to intercept; passes others through. */
class InterceptWriter extends WrappedWriter {
  hit: { handler: RespHandler; status: number } | undefined;
  private held = 0;
  readonly body: Buffer[] = [];
  constructor(
    inner: ResponseWriter,
    private readonly handlers: RespHandler[],
  ) {
    super(inner);
  }

  override get wroteHeader(): boolean {
    return this.hit !== undefined || this.inner.wroteHeader;
  }
  override get status(): number {
    return this.hit?.status ?? this.inner.status;
  }

  override writeHead(status: number): void {
    if (this.wroteHeader) return;
    const handler = this.handlers.find((h) => h.matches(status, this.inner));
    if (handler) this.hit = { handler, status };
    else this.inner.writeHead(status);
  }

  override async write(chunk: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    if (!this.hit) return this.inner.write(chunk);
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.held += b.length;
    if (this.held > MAX_BUFFER) throw new HandlerError(500, 'intercepted response too large to buffer');
    this.body.push(b);
  }

  override async end(chunk?: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    if (!this.hit) return this.inner.end(chunk);
    if (chunk !== undefined) await this.write(chunk);
  }
}

class Intercept implements Handler {
  private handlers: RespHandler[] = [];
  constructor(
    private readonly c: { handle_response?: RespHandlerConfig[] },
    private readonly path: string,
  ) {}

  async provision(ctx: LoadContext): Promise<void> {
    for (const [i, rh] of (this.c.handle_response ?? []).entries()) {
      const p = joinPath(joinPath(this.path, 'handle_response'), i);
      const codes = rh.match?.status_code;
      const headers = rh.match?.headers ? Object.entries(rh.match.headers) : undefined;
      this.handlers.push({
        matches: (status, w) => {
          if (codes?.length && !codes.some((c) => c === status || (c < 10 && Math.floor(status / 100) === c)))
            return false;
          return (
            !headers ||
            headers.every(([f, vals]) => {
              const a = w.header.values(f);
              return vals === null
                ? a.length === 0
                : vals.length === 0
                  ? a.length > 0
                  : a.some((x) => vals.includes(x));
            })
          );
        },
        status:
          rh.status_code !== undefined
            ? compileStatus(rh.status_code, 200, joinPath(p, 'status_code'), ctx.env)
            : undefined,
        routes: rh.routes ? await RouteList.compile(rh.routes as never, ctx, joinPath(p, 'routes')) : undefined,
      });
    }
  }

  async serve(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> {
    const iw = new InterceptWriter(w, this.handlers);
    await next(r, iw);
    if (!iw.hit) return;
    const { handler, status } = iw.hit;
    for (const [k, v] of w.header.entries()) r.extra.set(`http.intercept.header.${k.toLowerCase()}`, v.join(','));
    r.extra.set('http.intercept.status_code', String(status));
    if (handler.status) {
      w.writeHead(handler.status(requestResolver(r, w)));
      await w.end(Buffer.concat(iw.body));
      return;
    }
    await (handler.routes ? handler.routes.serve(r, w, emptyNext) : emptyNext(r, w));
  }
}

export const intercept: RuntimeModule<Handler> = {
  id: 'http.handlers.intercept',
  kind: 'handler',
  doc: 'Handles the response of the handlers behind it with response routes.',
  schema: interceptSchema,
  create: (json, _ctx, path) => new Intercept(json as { handle_response?: RespHandlerConfig[] }, path),
};
