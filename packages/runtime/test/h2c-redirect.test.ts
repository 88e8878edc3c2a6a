import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, getTls, start, type Started } from './helpers.js';

describe('h2c and the http_redirect listener wrapper', () => {
  let s: Started;
  let ca: string;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            clear: {
              listen: ['127.0.0.1:0'],
              protocols: ['h1', 'h2', 'h2c'],
              routes: [{ handle: [{ handler: 'static_response', body: 'proto {http.request.proto}' }] }],
            },
            secure: {
              listen: ['127.0.0.1:0'],
              listener_wrappers: [{ wrapper: 'http_redirect' }, { wrapper: 'tls' }],
              routes: [
                { match: [{ host: ['r.localhost'] }], handle: [{ handler: 'static_response', body: 'secure' }] },
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

  it('serves HTTP/2 over cleartext with prior knowledge, and HTTP/1.1 on the same port', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const c = http2.connect(`http://127.0.0.1:${s.port('clear')}`);
      c.on('error', reject);
      const req = c.request({ ':path': '/' });
      let b = '';
      req.on('data', (d: Buffer) => {
        b += d.toString();
      });
      req.on('end', () => {
        c.close();
        resolve(b);
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe('proto HTTP/2.0');
    expect((await get(s.port('clear'), '/')).body).toBe('proto HTTP/1.1');
  });

  it('redirects plaintext HTTP on a TLS port, and still serves TLS', async () => {
    const r = await get(s.port('secure'), '/x?y=1', { host: 'r.localhost' });
    expect(r.status).toBe(308);
    expect(r.headers['location']).toBe(`https://r.localhost:${s.port('secure')}/x?y=1`);
    expect((await getTls(s.port('secure'), '/', { servername: 'r.localhost', ca })).body).toBe('secure');
  });
});
