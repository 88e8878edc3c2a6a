/** reverse_proxy retries like Caddy's tryAgain: errors after connecting are retried for GET only. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('reverse_proxy retries', () => {
  let resetter: net.Server;
  let live: http.Server;
  let s: Started;
  beforeAll(async () => {
    // accepts, reads the request, then drops the connection without answering
    resetter = net.createServer((c) => {
      c.once('data', () => c.destroy());
      c.on('error', () => {});
    });
    live = http.createServer((req, res) => {
      req.resume();
      res.end(`live ${req.method}`);
    });
    await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => live.listen(0, '127.0.0.1', r));
    const dial = (x: net.Server | http.Server) => `127.0.0.1:${(x.address() as AddressInfo).port}`;
    const proxy = (extra: Record<string, unknown>) => ({
      handler: 'reverse_proxy',
      upstreams: [{ dial: dial(resetter) }, { dial: dial(live) }],
      load_balancing: { selection_policy: { policy: 'round_robin' }, retries: 1 },
      ...extra,
    });
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/rm/*'] }],
                  handle: [
                    proxy({
                      load_balancing: {
                        selection_policy: { policy: 'round_robin' },
                        retries: 1,
                        retry_match: [{ method: ['POST'] }],
                      },
                    }),
                  ],
                },
                { handle: [proxy({})] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    resetter.close();
    live.close();
  });

  it('retries a GET on the next upstream when the first drops the connection', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await get(s.port(), '/x');
      expect(r.status).toBe(200);
      expect(r.body).toBe('live GET');
    }
  });

  it('does not resend other methods after the upstream may have seen them', async () => {
    const codes = new Set<number>();
    for (let i = 0; i < 4; i++) codes.add((await get(s.port(), '/x', { method: 'DELETE' })).status);
    expect(codes).toEqual(new Set([200, 502]));
  });

  it('retries what retry_match allows (a POST without a body)', async () => {
    for (let i = 0; i < 4; i++) expect((await get(s.port(), '/rm/x', { method: 'POST' })).status).toBe(200);
  });
});

describe('reverse_proxy passive health checks', () => {
  it('counts unhealthy_status classes (5 means any 5xx) as failures', async () => {
    const failing = http.createServer((req, res) => {
      req.resume();
      res.writeHead(503);
      res.end('down');
    });
    const ok = http.createServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => ok.listen(0, '127.0.0.1', r));
    const dial = (x: http.Server) => `127.0.0.1:${(x.address() as AddressInfo).port}`;
    const s = await start({
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
                      upstreams: [{ dial: dial(failing) }, { dial: dial(ok) }],
                      load_balancing: { selection_policy: { policy: 'first' } },
                      health_checks: { passive: { fail_duration: '1m', max_fails: 1, unhealthy_status: [5] } },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    try {
      expect((await get(s.port(), '/')).status).toBe(503);
      const next = await get(s.port(), '/');
      expect(next.status).toBe(200);
      expect(next.body).toBe('ok');
    } finally {
      await s.close();
      failing.close();
      ok.close();
    }
  });
});

describe('reverse_proxy active health checks', () => {
  it('a probe Node cannot send (bad header value) fails the check instead of ending the process', async () => {
    const ok = http.createServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((r) => ok.listen(0, '127.0.0.1', r));
    const s = await start({
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
                      upstreams: [{ dial: `127.0.0.1:${(ok.address() as AddressInfo).port}` }],
                      health_checks: { active: { uri: '/health', interval: '20ms', headers: { 'X-Bad': ['a\nb'] } } },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    try {
      let status = 0;
      for (let i = 0; i < 50 && status !== 503; i++) {
        status = (await get(s.port(), '/')).status;
        if (status !== 503) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(503);
      expect(s.logs.join('')).toContain('active health check request');
    } finally {
      await s.close();
      ok.close();
    }
  });
});
