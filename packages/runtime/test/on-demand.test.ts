import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '@proxy/runtime';
import { getTls, start, type Started } from './helpers.js';

describe('on-demand TLS', () => {
  let ask: http.Server;
  let asked: string[] = [];
  let s: Started;
  beforeAll(async () => {
    ask = http.createServer((req, res) => {
      const domain = new URL(req.url ?? '/', 'http://x').searchParams.get('domain') ?? '';
      asked.push(domain);
      res.writeHead(domain.startsWith('yes') ? 200 : 403);
      res.end();
    });
    await new Promise<void>((r) => ask.listen(0, '127.0.0.1', () => r()));
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              tls_connection_policies: [{}],
              routes: [{ handle: [{ handler: 'static_response', body: 'hello {http.request.host}' }] }],
            },
          },
        },
        tls: {
          automation: {
            on_demand: {
              permission: { module: 'http', endpoint: `http://127.0.0.1:${(ask.address() as AddressInfo).port}/check` },
            },
            policies: [{ issuers: [{ module: 'internal' }], on_demand: true }],
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    ask.close();
  });

  it('obtains a certificate during the handshake when the permission endpoint allows the name', async () => {
    const ca = await s.inst.rootCertificate();
    asked = [];
    expect((await getTls(s.port(), '/', { servername: 'yes.example.com', ca })).body).toBe('hello yes.example.com');
    expect((await getTls(s.port(), '/', { servername: 'yes.example.com', ca })).body).toBe('hello yes.example.com');
    expect(asked).toEqual(['yes.example.com']);
    await expect(getTls(s.port(), '/', { servername: 'no.example.com', ca })).rejects.toThrow();
  });

  it('refuses on-demand policies without a permission endpoint', async () => {
    const errs = await validateConfig({ apps: { tls: { automation: { policies: [{ on_demand: true }] } } } });
    expect(errs[0]!.path).toBe('apps.tls.automation.on_demand');
  });
});
