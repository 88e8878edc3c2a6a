/** Error routes (handle_errors) answer like Caddy: the error's status, {http.error.*}, the original request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startServer, type Started } from './helpers.js';

const respond = (body: string, status?: number) => ({
  handler: 'static_response',
  body,
  ...(status ? { status_code: status } : {}),
});
const error = (status: number, message?: string) => ({
  handler: 'error',
  status_code: status,
  ...(message !== undefined ? { error: message } : {}),
});
const path = (...p: string[]) => [{ path: p }];

describe('error routes', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({
      routes: [
        { match: path('/nf*'), handle: [error(404, 'gone away')] },
        { match: path('/forbid'), handle: [error(403)] },
        { match: path('/explicit'), handle: [error(500, 'x')] },
        { match: path('/fails-again'), handle: [error(404, 'first')] },
        {
          match: path('/old/*'),
          handle: [{ handler: 'rewrite', uri: '/rewritten?x=1', method: 'PUT' }, error(502, 'upstream down')],
        },
        { match: path('/json'), handle: [error(404)] },
        {
          match: path('/status'),
          handle: [{ handler: 'static_response', body: 'x', status_code: '{http.request.uri.query.s}' }],
        },
        {
          match: path('/literal'),
          handle: [
            { handler: 'error', status_code: '{http.request.uri.query.s}', error: 'msg {http.request.uri.path}' },
          ],
        },
      ],
      errors: {
        routes: [
          {
            match: path('/nf*'),
            handle: [
              respond(
                'custom {http.error.status_code} {http.error.message} [{http.error.trace}] {http.error.status_text}',
              ),
            ],
            terminal: true,
          },
          { match: path('/explicit'), handle: [respond('ok anyway', 200)], terminal: true },
          { match: path('/fails-again'), handle: [error(500, 'second')], terminal: true },
          {
            match: path('/old/*'),
            handle: [respond('{http.request.method} {http.request.uri} {http.error.status_code}')],
            terminal: true,
          },
          { match: path('/json'), handle: [respond('{"status": {http.error.status_code}}')], terminal: true },
          {
            match: path('/status', '/literal'),
            handle: [respond('E {http.error.status_code} {http.error.status_text} {http.error.message}')],
            terminal: true,
          },
          { handle: [respond('{http.error}|{http.error.id}|{http.error.message}')] },
        ],
      },
    });
  });
  afterAll(() => s.close());

  it('a response without a status carries the error status (a custom 404 page answers 404)', async () => {
    const r = await get(s.port(), '/nfx');
    expect(r.status).toBe(404);
    expect(r.body).toBe('custom 404 gone away [caddyhttp.StaticError.ServeHTTP (staticerror.go:110)] Not Found');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it("{http.error} is Caddy's error string, the id nine characters of its alphabet, an empty message stays empty", async () => {
    const r = await get(s.port(), '/forbid');
    expect(r.status).toBe(403);
    const [whole, id, message] = r.body.split('|');
    expect(id).toMatch(/^[a-km-np-z0-9]{9}$/);
    expect(whole).toBe(`{id=${id}} caddyhttp.StaticError.ServeHTTP (staticerror.go:110): HTTP 403:`);
    expect(message).toBe('');
  });

  it('an explicit status still wins', async () => {
    const r = await get(s.port(), '/explicit');
    expect(r.status).toBe(200);
    expect(r.body).toBe('ok anyway');
  });

  it("an error route that fails answers with the first error's status", async () => {
    const r = await get(s.port(), '/fails-again');
    expect(r.status).toBe(404);
    expect(s.logs.join('')).toContain('error handling handler error');
  });

  it('error routes see the request as it came in, before rewrites', async () => {
    const r = await get(s.port(), '/old/a?q=2');
    expect(r.status).toBe(502);
    expect(r.body).toBe('GET /old/a?q=2 502');
  });

  it('JSON is recognised from the configured body, not the rendered one', async () => {
    const r = await get(s.port(), '/json');
    expect(r.status).toBe(404);
    expect(r.body).toBe('{"status": 404}');
    // The configured body is not valid JSON (a placeholder in it), so Caddy calls it text.
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it("a status that is not a number fails with Go's message; one out of range drops the connection", async () => {
    const r = await get(s.port(), '/status?s=abc');
    expect(r.status).toBe(500);
    expect(r.body).toBe('E 500 Internal Server Error strconv.Atoi: parsing "abc": invalid syntax');
    expect((await get(s.port(), '/status?s=404')).status).toBe(404);
    await expect(get(s.port(), '/status?s=99')).rejects.toThrow();
    expect(s.logs.join('')).toContain('invalid WriteHeader code');
  });

  it("the error message is kept as written; the status text is Go's", async () => {
    const r = await get(s.port(), '/literal?s=418');
    expect(r.status).toBe(418);
    expect(r.body).toBe("E 418 I'm a teapot msg {http.request.uri.path}");
  });
});
