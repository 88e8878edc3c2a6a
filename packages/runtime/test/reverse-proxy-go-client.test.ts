/** reverse_proxy sends what Go's client would: its User-Agent when the field is deleted, and gzip it then decodes. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('reverse_proxy as a Go client', () => {
  let up: http.Server;
  let s: Started;
  let probes = 0;
  beforeAll(async () => {
    // Reports what it received; gzips the report when asked to, and can send a broken gzip body.
    up = http.createServer((req, res) => {
      req.resume();
      const report = JSON.stringify({
        ua: req.headers['user-agent'] ?? null,
        ae: req.headers['accept-encoding'] ?? null,
      });
      if (req.url === '/health') {
        // Healthy only to a probe that looks like Go's: its User-Agent, and gzip asked for (and decoded by it).
        probes++;
        const ok = req.headers['user-agent'] === 'Go-http-client/1.1' && req.headers['accept-encoding'] === 'gzip';
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        res.end(gzipSync(ok ? 'healthy' : 'sick'));
        return;
      }
      if (req.url === '/broken') {
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        res.end('not gzip at all');
        return;
      }
      if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' });
        res.end(gzipSync(report));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(report);
    });
    await new Promise<void>((r) => up.listen(0, '127.0.0.1', r));
    const dial = `127.0.0.1:${(up.address() as AddressInfo).port}`;
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/noua/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial }],
                      headers: { request: { delete: ['User-Agent'] } },
                    },
                  ],
                },
                {
                  match: [{ path: ['/checked/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial }],
                      health_checks: {
                        active: { uri: '/health', interval: '20ms', timeout: '1s', expect_body: 'healthy' },
                      },
                    },
                  ],
                },
                {
                  match: [{ path: ['/nocomp/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial }],
                      transport: { protocol: 'http', compression: false },
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

  it("sends Go's User-Agent when header_up deletes it, none when the client sent none", async () => {
    expect(JSON.parse((await get(s.port(), '/noua/x', { headers: { 'User-Agent': 'curl/8' } })).body)).toMatchObject({
      ua: 'Go-http-client/1.1',
    });
    expect(JSON.parse((await get(s.port(), '/x', { headers: { 'User-Agent': 'curl/8' } })).body)).toMatchObject({
      ua: 'curl/8',
    });
    expect(JSON.parse((await get(s.port(), '/x')).body)).toMatchObject({ ua: null });
  });

  it('asks for gzip when the client did not, and decodes the answer', async () => {
    const r = await get(s.port(), '/x');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(r.body)).toMatchObject({ ae: 'gzip' });
  });

  it("passes the client's own Accept-Encoding and the encoded answer through", async () => {
    const r = await get(s.port(), '/x', { headers: { 'Accept-Encoding': 'identity' } });
    expect(JSON.parse(r.body)).toMatchObject({ ae: 'identity' });
    const z = await get(s.port(), '/x', { headers: { 'Accept-Encoding': 'gzip' }, raw: true });
    expect(z.headers['content-encoding']).toBe('gzip');
  });

  it('does not ask for gzip with compression off', async () => {
    expect(JSON.parse((await get(s.port(), '/nocomp/x')).body)).toMatchObject({ ae: null });
  });

  it("active health checks probe as Go's client does, decoding the gzip body for expect_body", async () => {
    // Bounded by probe count, not time: after a few probes the upstream must still be up.
    for (let i = 0; i < 500 && probes < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(probes).toBeGreaterThanOrEqual(3);
    expect((await get(s.port(), '/checked/x')).status).toBe(200);
  });

  it('a broken gzip answer ends that response only', async () => {
    await get(s.port(), '/broken').catch(() => undefined);
    expect((await get(s.port(), '/x')).status).toBe(200);
  });
});
