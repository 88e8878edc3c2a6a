import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, getH2, getTls, start, type Started } from './helpers.js';

describe('static_response over HTTP and HTTPS', () => {
  let s: Started;
  let tlsPort: number;
  let ca: string;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              routes: [
                {
                  match: [{ path: ['/hello'] }],
                  handle: [
                    {
                      handler: 'static_response',
                      body: 'Hello {http.request.host} {http.request.method} {http.request.uri.path}',
                      headers: { 'X-Test': ['yes'] },
                    },
                  ],
                },
                { handle: [{ handler: 'static_response', status_code: 404, body: 'nope' }] },
              ],
            },
            srv1: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ host: ['example.localhost'] }],
                  handle: [{ handler: 'static_response', body: 'secure {http.request.scheme} {http.request.proto}' }],
                },
              ],
              tls_connection_policies: [{}],
            },
          },
        },
        tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
      },
    });
    tlsPort = s.port('srv1');
    ca = await s.inst.rootCertificate();
  });
  afterAll(() => s.close());

  it('serves cleartext HTTP/1.1 with placeholders', async () => {
    const r = await get(s.port(), '/hello', { host: 'foo.test' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello foo.test GET /hello');
    expect(r.headers['x-test']).toBe('yes');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['content-length']).toBe(String(r.body.length));
    expect(r.headers['transfer-encoding']).toBeUndefined();
    const r2 = await get(s.port(), '/other');
    expect(r2.status).toBe(404);
    expect(r2.body).toBe('nope');
  });

  it('serves HTTPS HTTP/1.1 with a certificate from the internal CA', async () => {
    expect(ca).toContain('BEGIN CERTIFICATE');
    const r = await getTls(tlsPort, '/', { servername: 'example.localhost', ca });
    expect(r.status).toBe(200);
    expect(r.body).toBe('secure https HTTP/1.1');
  });

  it('serves HTTP/2 over TLS via ALPN', async () => {
    const r = await getH2(tlsPort, '/', { servername: 'example.localhost', ca });
    expect(r.status).toBe(200);
    expect(r.body).toBe('secure https HTTP/2.0');
  });

  it('tells plaintext HTTP clients on the TLS port what went wrong', async () => {
    const r = await get(tlsPort, '/');
    expect(r.status).toBe(400);
    expect(r.body).toContain('Client sent an HTTP request to an HTTPS server.');
  });

  it('fails the handshake for a name without a certificate', async () => {
    await expect(getTls(tlsPort, '/', { servername: 'other.localhost', ca })).rejects.toThrow();
  });
});
