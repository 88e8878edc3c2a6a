/** reverse_proxy header handling compared with Caddy: header rules per attempt, X-Forwarded-*, header_down, Via. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get, start, type Started } from './helpers.js';

/** Answers with the request's header as JSON, and a Cache-Control of its own. */
function echo(): Promise<http.Server> {
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('Cache-Control', 'from-upstream');
      res.setHeader('X-Drop', 'x');
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({ url: req.url, headers: req.headers, names: req.rawHeaders.filter((_, i) => i % 2 === 0) }),
      );
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

const portOf = (s: http.Server) => (s.address() as AddressInfo).port;

describe('reverse_proxy headers like Caddy', () => {
  let up: http.Server;
  let dead: number;
  let s: Started;
  beforeAll(async () => {
    up = await echo();
    dead = await freePort();
    const dial = `127.0.0.1:${portOf(up)}`;
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/ph/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${dead}` }, { dial, max_requests: 7 }],
                      load_balancing: { selection_policy: { policy: 'first' }, retries: 1 },
                      health_checks: { passive: { fail_duration: '1m' } },
                      headers: {
                        request: {
                          set: {
                            Host: ['{http.reverse_proxy.upstream.hostport}'],
                            'X-Addr': ['{http.reverse_proxy.upstream.address}'],
                            'X-Host': ['{http.reverse_proxy.upstream.host}'],
                            'X-Port': ['{http.reverse_proxy.upstream.port}'],
                            'X-Max': ['{http.reverse_proxy.upstream.max_requests}'],
                            'X-Fails': ['{http.reverse_proxy.upstream.fails}'],
                          },
                        },
                        response: {
                          set: {
                            'X-Down': ['{http.reverse_proxy.upstream.hostport}'],
                            'X-Latency': ['{http.reverse_proxy.upstream.latency}'],
                          },
                          delete: ['X-Drop', 'Cache-Control'],
                        },
                      },
                    },
                  ],
                },
                {
                  match: [{ path: ['/downst/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial }],
                      headers: {
                        response: {
                          set: {
                            'X-Down-Status': ['{http.reverse_proxy.status_code}'],
                            'X-Down-Type': ['{http.reverse_proxy.header.Content-Type}'],
                          },
                        },
                      },
                    },
                  ],
                },
                {
                  match: [{ path: ['/trusted/*'] }],
                  handle: [{ handler: 'reverse_proxy', upstreams: [{ dial }], trusted_proxies: ['127.0.0.1/8'] }],
                },
                {
                  match: [{ path: ['/cc/*'] }],
                  handle: [
                    { handler: 'headers', response: { set: { 'Cache-Control': ['from-site'] } } },
                    { handler: 'reverse_proxy', upstreams: [{ dial }] },
                  ],
                },
                {
                  match: [{ path: ['/st/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial }],
                      handle_response: [
                        {
                          routes: [
                            {
                              handle: [
                                {
                                  handler: 'static_response',
                                  body: '{http.reverse_proxy.status_code}|{http.reverse_proxy.status_text}',
                                },
                              ],
                            },
                          ],
                        },
                      ],
                    },
                  ],
                },
                {
                  match: [{ path: ['/copy/*'] }],
                  handle: [
                    { handler: 'headers', response: { set: { 'Cache-Control': ['from-site'] } } },
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial }],
                      headers: { response: { set: { 'X-Drop': ['changed'] } } },
                      handle_response: [
                        { match: { status_code: [999] }, status_code: 500 },
                        { match: { status_code: [2] } },
                        {
                          match: { status_code: [2] },
                          routes: [{ handle: [{ handler: 'copy_response', status_code: 202 }] }],
                        },
                      ],
                    },
                  ],
                },
                { handle: [{ handler: 'reverse_proxy', upstreams: [{ dial }] }] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    up.close();
  });

  it('runs header_up and header_down rules after choosing the upstream, on each attempt', async () => {
    const r = await get(s.port(), '/ph/x');
    expect(r.status).toBe(200);
    const h = (JSON.parse(r.body) as { headers: Record<string, string> }).headers;
    const hp = `127.0.0.1:${portOf(up)}`;
    // the first attempt went to the dead upstream; the retry's rules name the live one
    expect(h['host']).toBe(hp);
    expect(h['x-addr']).toBe(`tcp/${hp}`);
    expect(h['x-host']).toBe('127.0.0.1');
    expect(h['x-port']).toBe(String(portOf(up)));
    expect(h['x-max']).toBe('7');
    expect(h['x-fails']).toBe('0');
    expect(r.headers['x-down']).toBe(hp);
    expect(r.headers['x-latency']).toMatch(/^\d+(\.\d+)?(ns|µs|ms|s)$/);
    expect(r.headers['x-drop']).toBeUndefined();
    expect(r.headers['cache-control']).toBeUndefined();
  });

  it('keeps and appends X-Forwarded-* from peers in trusted_proxies, replaces them otherwise', async () => {
    const claims = { 'X-Forwarded-For': '1.2.3.4', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'orig.test' };
    const t = (
      JSON.parse((await get(s.port(), '/trusted/x', { host: 'front.test', headers: claims })).body) as {
        headers: Record<string, string>;
      }
    ).headers;
    expect(t['x-forwarded-for']).toBe('1.2.3.4, 127.0.0.1');
    expect(t['x-forwarded-proto']).toBe('https');
    expect(t['x-forwarded-host']).toBe('orig.test');
    const u = (
      JSON.parse((await get(s.port(), '/other', { host: 'front.test', headers: claims })).body) as {
        headers: Record<string, string>;
      }
    ).headers;
    expect(u['x-forwarded-for']).toBe('127.0.0.1');
    expect(u['x-forwarded-proto']).toBe('http');
    expect(u['x-forwarded-host']).toBe('front.test');
  });

  it('adds the upstream fields to those set before the proxy (both Cache-Control values reach the client)', async () => {
    const r = await get(s.port(), '/cc/x');
    expect(r.headers['cache-control']).toBe('from-site, from-upstream');
  });

  it('sends Via upstream and on the response, like current Caddy', async () => {
    const r = await get(s.port(), '/other');
    expect((JSON.parse(r.body) as { headers: Record<string, string> }).headers['via']).toBe('1.1 Caddy');
    expect(r.headers['via']).toBe('1.1 Caddy');
  });

  it('sends and returns field names in the canonical form Go uses', async () => {
    const r = await get(s.port(), '/other', { headers: { 'x-custom-thing': '1', 'user-agent': 'ua' } });
    const names = (JSON.parse(r.body) as { names: string[] }).names;
    expect(names).toContain('X-Custom-Thing');
    expect(names).toContain('User-Agent');
    const raw = await new Promise<string>((resolve, reject) => {
      const c = net.connect(s.port(), '127.0.0.1', () =>
        c.write('GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      );
      let out = '';
      c.on('data', (d: Buffer) => {
        out += d.toString();
      });
      c.on('end', () => resolve(out));
      c.on('error', reject);
    });
    expect(raw).toContain('\r\nCache-Control: from-upstream\r\n');
    expect(raw).toContain('\r\nX-Drop: x\r\n');
  });

  it('gives handle_response routes the status text as Go has it ("200 OK")', async () => {
    expect((await get(s.port(), '/st/x')).body).toBe('200|200 OK');
  });

  it('leaves the response placeholders to handle_response: header_down sees them unset, as in Caddy', async () => {
    const r = await get(s.port(), '/downst/x');
    expect(r.headers['x-down-status']).toBe('{http.reverse_proxy.status_code}');
    expect(r.headers['x-down-type']).toBe('{http.reverse_proxy.header.Content-Type}');
  });

  it("copy_response writes like the proxy: header_down applied, fields added to the site's; empty handlers skipped", async () => {
    const r = await get(s.port(), '/copy/x');
    expect(r.status).toBe(202);
    expect(r.headers['x-drop']).toBe('changed');
    expect(r.headers['cache-control']).toBe('from-site, from-upstream');
    expect((JSON.parse(r.body) as { url: string }).url).toBe('/copy/x');
  });

  it("sends the URI as it stands: cleaning paths is strip_path_prefix's job, not the proxy's (as in Caddy)", async () => {
    for (const u of ['/a/../b', '//a//b', '/x%2Fy/%2E%2E/z?q=%20'])
      expect((JSON.parse((await get(s.port(), u)).body) as { url: string }).url).toBe(u);
  });

  it('a rewrite to GET (forward_auth) sends no body upstream and leaves it to the handlers after', async () => {
    const seen: string[] = [];
    const app = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push(
          `${req.method} ${req.url} cl=${req.headers['content-length'] ?? '-'} ${Buffer.concat(chunks).toString()}`,
        );
        res.end('done');
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const dial = `127.0.0.1:${portOf(app)}`;
    const t = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial }],
                      rewrite: { method: 'GET', uri: '/auth' },
                      handle_response: [{ match: { status_code: [2] }, routes: [{ handle: [{ handler: 'vars' }] }] }],
                    },
                    { handler: 'reverse_proxy', upstreams: [{ dial }] },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    try {
      const r = await get(t.port(), '/x', { method: 'POST', body: 'payload' });
      expect(r.body).toBe('done');
      expect(seen).toEqual(['GET /auth cl=- ', 'POST /x cl=7 payload']);
    } finally {
      await t.close();
      app.close();
    }
  });
});
