/**
 * Requests without a body get no node stream from the HTTP/1.1 engine; whatever reads their body (a
 * placeholder, a proxied upstream, request_body) still finds an empty one, their fields still read as
 * node's `headers` object, and the connection carries the next request.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Started } from './helpers.js';

/** Sends the bytes and collects everything until the server closes (or 3 s pass). */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    let out = '';
    const t = setTimeout(() => c.destroy(), 3000);
    c.on('error', () => {});
    c.on('data', (d) => {
      out += d.toString('latin1');
    });
    c.on('close', () => {
      clearTimeout(t);
      resolve(out);
    });
    c.write(bytes);
  });
}

describe('HTTP/1.1 requests without a body', () => {
  let s: Started;
  let upstream: http.Server;
  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        res.end(
          `${req.method} got ${Buffer.concat(chunks).toString() || '-'} cl=${req.headers['content-length'] ?? ''}`,
        ),
      );
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const up = [{ dial: `127.0.0.1:${(upstream.address() as AddressInfo).port}` }];
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                { match: [{ path: ['/proxy'] }], handle: [{ handler: 'reverse_proxy', upstreams: up }] },
                {
                  match: [{ path: ['/set'] }],
                  handle: [
                    { handler: 'request_body', set: 'replaced' },
                    { handler: 'reverse_proxy', upstreams: up },
                  ],
                },
                { match: [{ path: ['/big'] }], handle: [{ handler: 'static_response', body: 'x'.repeat(3000) }] },
                { handle: [{ handler: 'static_response', body: '[{http.request.body}]' }] },
              ],
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

  it('read as an empty body, on a connection that carries the requests after them', async () => {
    const out = await exchange(
      s.port(),
      'GET /a HTTP/1.1\r\nHost: a\r\n\r\n' +
        'DELETE /b HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n' +
        'GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(out.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(out.match(/\r\n\r\n\[\]/g)).toHaveLength(3);
    expect(out).toMatch(/\r\n\r\n\[\]$/);
  });

  it('proxied with an empty body, or with the one request_body sets', async () => {
    const out = await exchange(
      s.port(),
      'GET /proxy HTTP/1.1\r\nHost: a\r\n\r\n' +
        'PUT /proxy HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n' +
        'GET /set HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect(out).toContain('\r\n\r\nGET got - cl=HTTP/1.1 200 OK');
    expect(out).toContain('\r\n\r\nPUT got - cl=0HTTP/1.1 200 OK');
    expect(out).toMatch(/\r\n\r\nGET got replaced cl=8$/);
  });

  it("has its fields read as node's headers object (an HTTP/1.0 client's TE: chunked)", async () => {
    const out = await exchange(s.port(), 'GET /big HTTP/1.0\r\nHost: a\r\nTE: chunked\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.0 200 OK\r\n[^]*Transfer-Encoding: chunked\r\n\r\nbb8\r\nx{3000}\r\n0\r\n\r\n$/);
  });
});
