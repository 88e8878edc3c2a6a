import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { freePort, get, start, type Started } from './helpers.js';

const HASH = bcrypt.hashSync('pw', 4);

function upstream(name: string): Promise<http.Server> {
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/health') {
        res.writeHead(200);
        res.end('ok');
        return;
      }
      res.setHeader('X-Upstream', name);
      res.setHeader('X-Remove-Me', 'x');
      res.writeHead(req.url?.endsWith('/teapot') ? 418 : 200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          name,
          method: req.method,
          url: req.url,
          host: req.headers.host,
          xff: req.headers['x-forwarded-for'],
          proto: req.headers['x-forwarded-proto'],
          added: req.headers['x-added'],
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

const addr = (s: http.Server) => `127.0.0.1:${(s.address() as AddressInfo).port}`;

describe('reverse_proxy', () => {
  let a: http.Server;
  let b: http.Server;
  let deadPort: number;
  let s: Started;
  beforeAll(async () => {
    a = await upstream('a');
    b = await upstream('b');
    deadPort = await freePort();
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/rr/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: addr(a) }, { dial: addr(b) }],
                      load_balancing: { selection_policy: { policy: 'round_robin' } },
                      headers: {
                        request: { set: { 'X-Added': ['{http.request.method}'] } },
                        response: { delete: ['X-Remove-Me'], set: { 'X-Proxied': ['1'] } },
                      },
                    },
                  ],
                },
                {
                  match: [{ path: ['/first/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${deadPort}` }, { dial: addr(b) }],
                      load_balancing: { selection_policy: { policy: 'first' }, retries: 2 },
                      health_checks: { passive: { fail_duration: '30s', max_fails: 1 } },
                    },
                  ],
                },
                {
                  match: [{ path: ['/slowauth/*'] }],
                  handle: [
                    {
                      handler: 'authentication',
                      providers: { http_basic: { accounts: [{ username: 'u', password: HASH }] } },
                    },
                    { handler: 'reverse_proxy', upstreams: [{ dial: addr(a) }] },
                  ],
                },
                {
                  match: [{ path: ['/dns/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      dynamic_upstreams: {
                        source: 'a',
                        name: 'localhost',
                        port: addr(b).split(':')[1],
                        versions: { ipv6: false },
                      },
                    },
                  ],
                },
                {
                  match: [{ path: ['/dead/*'] }],
                  handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${deadPort}` }] }],
                },
                {
                  match: [{ path: ['/hash/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: addr(a) }, { dial: addr(b) }],
                      load_balancing: { selection_policy: { policy: 'header', field: 'X-User' } },
                    },
                  ],
                },
                {
                  match: [{ path: ['/dyn/*'] }],
                  handle: [
                    { handler: 'reverse_proxy', upstreams: [{ dial: '127.0.0.1:{http.request.header.X-Port}' }] },
                  ],
                },
                {
                  match: [{ path: ['/auth/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: addr(a) }],
                      rewrite: { method: 'GET', uri: '/verify?orig={http.request.uri}' },
                      handle_response: [
                        {
                          match: { status_code: [2] },
                          routes: [
                            {
                              handle: [
                                {
                                  handler: 'headers',
                                  request: { set: { 'X-Verified-By': ['{http.reverse_proxy.header.X-Upstream}'] } },
                                },
                              ],
                            },
                          ],
                        },
                      ],
                    },
                    {
                      handler: 'static_response',
                      body: 'passed {http.request.header.X-Verified-By} {http.request.method} {http.request.uri}',
                    },
                  ],
                },
                {
                  match: [{ path: ['/copy/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: addr(b) }],
                      handle_response: [
                        {
                          match: { status_code: [418] },
                          routes: [
                            {
                              handle: [
                                { handler: 'copy_response_headers', include: ['X-Upstream'] },
                                { handler: 'static_response', status_code: 200, body: 'intercepted teapot' },
                              ],
                            },
                          ],
                        },
                        { routes: [{ handle: [{ handler: 'copy_response', status_code: 202 }] }] },
                      ],
                    },
                  ],
                },
                {
                  match: [{ path: ['/active/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${deadPort}` }, { dial: addr(a) }],
                      load_balancing: { selection_policy: { policy: 'first' } },
                      health_checks: { active: { uri: '/health', interval: '50ms', timeout: '1s' } },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    a.close();
    b.close();
  });

  it('round-robins, sets X-Forwarded-*, applies header ops up and down', async () => {
    const r1 = await get(s.port(), '/rr/x?y=1', { host: 'front.test' });
    const r2 = await get(s.port(), '/rr/x', { host: 'front.test' });
    const j1 = JSON.parse(r1.body) as Record<string, string>;
    const j2 = JSON.parse(r2.body) as Record<string, string>;
    expect(new Set([j1['name'], j2['name']])).toEqual(new Set(['a', 'b']));
    expect(j1['url']).toBe('/rr/x?y=1');
    expect(j1['host']).toBe('front.test');
    expect(j1['xff']).toBe('127.0.0.1');
    expect(j1['proto']).toBe('http');
    expect(j1['added']).toBe('GET');
    expect(r1.headers['x-remove-me']).toBeUndefined();
    expect(r1.headers['x-proxied']).toBe('1');
    expect(r1.headers['x-upstream']).toBe(j1['name']);
  });

  it('streams request bodies and passes upstream status codes', async () => {
    const r = await get(s.port(), '/rr/teapot', {
      method: 'POST',
      body: 'payload',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(r.status).toBe(418);
    expect(JSON.parse(r.body).body).toBe('payload');
  });

  it('keeps the request body intact when async handlers run before the proxy', async () => {
    const body = 'x'.repeat(200_000);
    const r = await get(s.port(), '/slowauth/x', {
      method: 'POST',
      body,
      headers: { Authorization: `Basic ${Buffer.from('u:pw').toString('base64')}` },
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).body.length).toBe(body.length);
  });

  it('returns 502 when the only upstream is down', async () => {
    const r = await get(s.port(), '/dead/x');
    expect(r.status).toBe(502);
  });

  it('retries the next upstream after a dial failure (first policy + passive health)', async () => {
    const r = await get(s.port(), '/first/x');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).name).toBe('b');
    const again = await get(s.port(), '/first/y');
    expect(JSON.parse(again.body).name).toBe('b');
  });

  it('dials addresses with placeholders per request', async () => {
    const port = addr(b).split(':')[1]!;
    const r = await get(s.port(), '/dyn/x', { headers: { 'X-Port': port } });
    expect(JSON.parse(r.body).name).toBe('b');
  });

  it('handle_response runs routes with the upstream response (forward_auth style), rewrite only changes the upstream request', async () => {
    const r = await get(s.port(), '/auth/thing', { method: 'POST', body: 'x' });
    expect(r.body).toBe('passed a POST /auth/thing');
  });

  it('copy_response and copy_response_headers in handle_response routes', async () => {
    const t = await get(s.port(), '/copy/teapot');
    expect(t.status).toBe(200);
    expect(t.body).toBe('intercepted teapot');
    expect(t.headers['x-upstream']).toBe('b');
    const c = await get(s.port(), '/copy/x');
    expect(c.status).toBe(202);
    expect(JSON.parse(c.body).name).toBe('b');
  });

  it('resolves dynamic "a" upstreams', async () => {
    const r = await get(s.port(), '/dns/x');
    expect(JSON.parse(r.body).name).toBe('b');
  });

  it('header hashing is sticky per header value', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 5; i++)
      names.add(JSON.parse((await get(s.port(), '/hash/x', { headers: { 'X-User': 'alice' } })).body).name);
    expect(names.size).toBe(1);
  });

  it('active health checks take a dead upstream out of rotation', async () => {
    let r = await get(s.port(), '/active/x');
    for (let i = 0; i < 50 && r.status !== 200; i++) {
      await new Promise((res) => setTimeout(res, 50));
      r = await get(s.port(), '/active/x');
    }
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).name).toBe('a');
  });
});
