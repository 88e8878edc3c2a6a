/** An active health check's configured Host header is the probe's Host, as Caddy sets req.Host from it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { start, type Started } from './helpers.js';

describe('active health check headers', () => {
  let s: Started | undefined;
  const probes: http.IncomingHttpHeaders[] = [];
  const upstream = http.createServer((req, res) => {
    if (req.url === '/health') probes.push(req.headers);
    res.end('ok');
  });
  afterAll(async () => {
    await s?.close();
    upstream.close();
  });

  it('send Host as the request host and the other fields as given', async () => {
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const dial = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    s = await start({
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
                      health_checks: {
                        active: {
                          path: '/health',
                          interval: '50ms',
                          headers: { Host: ['probe.internal'], 'X-Probe': ['1', '2'] },
                        },
                      },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    for (let i = 0; i < 100 && probes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(probes[0]?.host).toBe('probe.internal');
    expect(probes[0]?.['x-probe']).toBe('1, 2');
  });
});
