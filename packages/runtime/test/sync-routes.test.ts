/**
 * Handlers that answer synchronously (static_response) run without a promise per step; what they throw still
 * reaches the same places an async handler's rejection does (subroute and server error routes), and a chain
 * that mixes them with handlers that wait (a body read, early hints, a proxy) answers as before.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

/** A request with a body; resolves to status and body. */
function post(port: number, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('synchronous and asynchronous handlers in one route chain', () => {
  let s: Started;
  let upstream: http.Server;
  beforeAll(async () => {
    upstream = http.createServer((_req, res) => res.end('from upstream'));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    // A status code rendered from the query: "abc" fails in static_response itself, before it answers.
    const badStatus = { handler: 'static_response', status_code: '{http.request.uri.query.s}', body: 'never' };
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/sub'] }],
                  handle: [
                    {
                      handler: 'subroute',
                      routes: [{ handle: [badStatus] }],
                      errors: {
                        routes: [{ handle: [{ handler: 'static_response', body: 'sub caught {http.error.message}' }] }],
                      },
                    },
                  ],
                },
                { match: [{ path: ['/top'] }], handle: [badStatus] },
                {
                  match: [{ path: ['/hints'] }],
                  handle: [
                    { handler: 'static_response', status_code: 103, headers: { Link: ['</a.css>; rel=preload'] } },
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${(upstream.address() as AddressInfo).port}` }],
                    },
                  ],
                },
                {
                  match: [{ path: ['/echo'] }],
                  handle: [{ handler: 'static_response', body: 'got {http.request.body}' }],
                },
                {
                  handle: [
                    { handler: 'headers', response: { set: { 'X-Sync': ['yes'] } } },
                    { handler: 'static_response', body: 'plain' },
                  ],
                },
              ],
              errors: {
                routes: [{ handle: [{ handler: 'static_response', body: 'top caught {http.error.message}' }] }],
              },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    await new Promise((r) => upstream.close(r));
  });

  it('answers a chain of synchronous handlers', async () => {
    const r = await get(s.port(), '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('plain');
    expect(r.headers['x-sync']).toBe('yes');
  });

  it('hands what a synchronous handler throws to the error routes of its subroute, or of the server', async () => {
    const sub = await get(s.port(), '/sub?s=abc');
    expect(sub.status).toBe(500);
    expect(sub.body).toBe('sub caught strconv.Atoi: parsing "abc": invalid syntax');
    const top = await get(s.port(), '/top?s=abc');
    expect(top.status).toBe(500);
    expect(top.body).toBe('top caught strconv.Atoi: parsing "abc": invalid syntax');
  });

  it('waits where a handler has to: a body read, early hints followed by a proxy', async () => {
    expect(await post(s.port(), '/echo', 'abc')).toEqual({ status: 200, body: 'got abc' });
    const r = await get(s.port(), '/hints');
    expect(r.status).toBe(200);
    expect(r.body).toBe('from upstream');
  });
});
