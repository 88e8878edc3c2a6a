/** @module http/handlers/static-response: `http.handlers.static_response`: a fixed response. */
import { staticResponseSchema, type StaticResponseHandler, type WeakString } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { compileTemplate, type Template } from '../../util/template.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { HandlerError } from '../errors.js';
import type { Handler, Next } from '../handler.js';
import type { ResponseWriter } from '../response.js';
import { readBodyText, readsBody } from '../body-text.js';
import { requestResolver } from '../replacer.js';
import type { HttpRequest } from '../request.js';

/**
 * Without a status code, a response in an error route carries the error's status (a custom 404 page
 * answers 404), like Caddy's static_response reading the error from the request context.
 */
const errorOr200 = (r: HttpRequest): number => (r.error && r.error.status > 0 ? r.error.status : 200);

/**
 * Compiles a status code that may be a placeholder; returns a function giving the code. A rendered code
 * that is not a number fails the request with Go's strconv.Atoi message, as Caddy does; one outside
 * 100-999 fails it too unless `checkRange` is off (the caller then deals with it).
 */
export function compileStatus(
  weak: WeakString | undefined,
  dflt: number,
  path: string,
  env: NodeJS.ProcessEnv,
  checkRange = true,
): (res: (k: string) => string | undefined) => number {
  // A WeakString `true` is the string "true" to Caddy, which it reads as a number only when it responds.
  if (typeof weak === 'boolean') return () => goAtoi(String(weak));
  const v = weak;
  if (v === undefined || v === '') return () => dflt;
  if (typeof v === 'number') {
    if (v < 100 || v > 999) throw ConfigError.at(path, `invalid status code ${v}`);
    return () => v;
  }
  const t = compileTemplate(v, env);
  if (!v.includes('{') && !/^\d{3}$/.test(v)) throw ConfigError.at(path, `invalid status code ${JSON.stringify(v)}`);
  return (res) => {
    const text = t.render(res);
    const n = goAtoi(text);
    if (checkRange && (n < 100 || n > 999)) throw new HandlerError(500, `invalid status code ${JSON.stringify(text)}`);
    return n;
  };
}

/** Go's strconv.Atoi, failing with its message. */
function goAtoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text))
    throw new HandlerError(500, `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new HandlerError(500, `strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

function looksLikeJson(body: string): boolean {
  const c = body.trim();
  if (c.length <= 2 || !((c.startsWith('{') && c.endsWith('}')) || (c.startsWith('[') && c.endsWith(']'))))
    return false;
  try {
    JSON.parse(c);
    return true;
  } catch {
    return false;
  }
}

export const staticResponse: RuntimeModule<Handler> = {
  id: 'http.handlers.static_response',
  kind: 'handler',
  doc: 'Writes a fixed response (status, header fields, body), or closes the connection.',
  schema: staticResponseSchema,
  create(json, ctx, path) {
    const c = json as StaticResponseHandler;
    const status = compileStatus(c.status_code, 0, joinPath(path, 'status_code'), ctx.env, false);
    const headers: Array<[Template, Template[]]> = Object.entries(c.headers ?? {}).map(([k, vals]) => [
      compileTemplate(k, ctx.env),
      vals.map((v) => compileTemplate(v, ctx.env)),
    ]);
    const body = c.body !== undefined ? compileTemplate(c.body, ctx.env) : undefined;
    const needsBody = readsBody(c.body) || Object.values(c.headers ?? {}).some((vals) => vals.some(readsBody));
    // Caddy decides on JSON from the body as configured, not as rendered.
    const isJson = c.body !== undefined && looksLikeJson(c.body);
    // Answers without waiting for anything (unless the body is read first or 103 is sent): the route chain then
    // takes no promise per request.
    const respond = (r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> | void => {
      const res = requestResolver(r, w);
      for (const [k, vals] of headers)
        w.header.set(
          k.render(res),
          vals.map((v) => v.render(res)),
        );
      if (c.close) w.header.set('Connection', 'close');
      const text = body?.render(res, true) ?? '';
      if (text !== '' && !w.header.get('content-type')) {
        w.header.set('Content-Type', isJson ? 'application/json' : 'text/plain; charset=utf-8');
      }
      // An empty Content-Type field keeps Go from sniffing one, as Caddy wants.
      if (!w.header.get('content-type')) w.header.set('Content-Type', []);
      w.header.delete('content-length');
      const code = status(res) || errorOr200(r);
      if (code < 100 || code > 999) {
        // Go's WriteHeader panics on such a code, and the server drops the connection.
        ctx.logger.error({ status: code }, 'invalid WriteHeader code');
        w.abort();
        return;
      }
      w.writeHead(code);
      // Early Hints are not the final response: the head went out, the next handler answers.
      if (code === 103) return next(r, w);
      return w.end(text === '' ? undefined : text);
    };
    return {
      serve(r, w, next) {
        if (c.abort) {
          w.abort();
          return;
        }
        if (needsBody) return readBodyText(r).then(() => respond(r, w, next));
        return respond(r, w, next);
      },
    };
  },
};
