import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, getTls, start, type Started } from './helpers.js';

describe('trusted proxies, client_ip, strict SNI host', () => {
  let s: Started;
  let ca: string;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            trusted: {
              listen: ['127.0.0.1:0'],
              trusted_proxies: { source: 'static', ranges: ['127.0.0.0/8'] },
              routes: [
                {
                  match: [{ client_ip: { ranges: ['203.0.113.0/24'] } }],
                  handle: [{ handler: 'static_response', body: 'doc range {http.vars.client_ip}' }],
                  terminal: true,
                },
                { handle: [{ handler: 'static_response', body: 'client {http.vars.client_ip}' }] },
              ],
            },
            strict: {
              listen: ['127.0.0.1:0'],
              strict_sni_host: true,
              tls_connection_policies: [{}],
              routes: [
                {
                  match: [{ host: ['a.localhost', 'b.localhost'] }],
                  handle: [{ handler: 'static_response', body: 'ok' }],
                },
              ],
            },
          },
        },
        tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
      },
    });
    ca = await s.inst.rootCertificate();
  });
  afterAll(() => s.close());

  it('takes the client IP from X-Forwarded-For when the peer is trusted', async () => {
    expect((await get(s.port('trusted'), '/', { headers: { 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' } })).body).toBe(
      'doc range 203.0.113.9',
    );
    expect((await get(s.port('trusted'), '/')).body).toBe('client 127.0.0.1');
  });

  it('answers 421 when Host and SNI differ under strict_sni_host', async () => {
    expect((await getTls(s.port('strict'), '/', { servername: 'a.localhost', ca })).status).toBe(200);
    const r = await getTls(s.port('strict'), '/', { servername: 'a.localhost', ca, headers: { Host: 'b.localhost' } });
    expect(r.status).toBe(421);
  });
});
