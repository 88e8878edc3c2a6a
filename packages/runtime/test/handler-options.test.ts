import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

const echo = {
  handler: 'static_response',
  body: '{http.request.method} {http.request.uri} h={http.request.header.X-In}',
};

describe('less common handler options', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/q/*'] }],
                  handle: [
                    {
                      handler: 'rewrite',
                      query: {
                        rename: [{ key: 'a', val: 'b' }],
                        set: [{ key: 'c', val: '{http.request.method}' }],
                        add: [{ key: 'd', val: '1' }],
                        delete: ['e'],
                        replace: [{ key: 'f', search: 'x', replace: 'y' }],
                      },
                    },
                    echo,
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/sub/*'] }],
                  handle: [{ handler: 'rewrite', uri_substring: [{ find: 'foo', replace: 'bar', limit: 1 }] }, echo],
                  terminal: true,
                },
                {
                  match: [{ path: ['/re/*'] }],
                  handle: [{ handler: 'rewrite', path_regexp: [{ find: '/re/(\\d+)', replace: '/num/$1' }] }, echo],
                  terminal: true,
                },
                {
                  match: [{ path: ['/m/*'] }],
                  handle: [{ handler: 'rewrite', method: 'PUT', uri: '/changed?{http.request.uri.query}' }, echo],
                  terminal: true,
                },
                {
                  match: [{ path: ['/hdr'] }],
                  handle: [
                    {
                      handler: 'headers',
                      request: { replace: { 'X-In': [{ search_regexp: '(\\d+)', replace: 'n$1' }] } },
                      response: { add: { 'X-Multi': ['a', 'b'] }, deferred: true, delete: ['X-Drop*'] },
                    },
                    { handler: 'headers', response: { set: { 'X-Drop-Me': ['gone'], 'X-Keep': ['kept'] } } },
                    echo,
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/req'] }],
                  handle: [
                    {
                      handler: 'headers',
                      response: { set: { 'X-Only-404': ['yes'] }, require: { status_code: [404] } },
                    },
                    { handler: 'static_response', status_code: 404 },
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/close'] }],
                  handle: [{ handler: 'static_response', body: 'bye', close: true }],
                  terminal: true,
                },
                {
                  match: [{ path: ['/abort'] }],
                  handle: [{ handler: 'static_response', abort: true }],
                  terminal: true,
                },
                {
                  match: [{ path: ['/json'] }],
                  handle: [{ handler: 'static_response', body: '{"a": 1}' }],
                  terminal: true,
                },
                {
                  match: [{ path: ['/setbody'] }],
                  handle: [
                    { handler: 'request_body', set: 'replaced' },
                    { handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${upPort}` }] },
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/status'] }],
                  handle: [{ handler: 'static_response', status_code: '{http.request.header.X-Status}' }],
                  terminal: true,
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
    up.close();
  });

  it('query operations', async () => {
    expect((await get(s.port(), '/q/x?a=1&e=2&f=xx')).body).toBe('GET /q/x?b=1&c=GET&d=1&f=yy h=');
  });
  it('uri_substring, path_regexp, method and uri rewrites', async () => {
    expect((await get(s.port(), '/sub/foo/foo')).body).toBe('GET /sub/bar/foo h=');
    expect((await get(s.port(), '/re/42')).body).toBe('GET /num/42 h=');
    expect((await get(s.port(), '/m/x?k=v')).body).toBe('PUT /changed?k=v h=');
  });
  it('header replace with regexp, deferred add/delete', async () => {
    const r = await get(s.port(), '/hdr', { headers: { 'X-In': 'v12' } });
    expect(r.body).toBe('GET /hdr h=vn12');
    expect(r.headers['x-multi']).toBe('a, b');
    expect(r.headers['x-drop-me']).toBeUndefined();
    expect(r.headers['x-keep']).toBe('kept');
  });
  it('require limits response header ops to matching responses', async () => {
    const r = await get(s.port(), '/req');
    expect(r.status).toBe(404);
    expect(r.headers['x-only-404']).toBe('yes');
  });
  it('close, abort and JSON bodies', async () => {
    const c = await get(s.port(), '/close');
    expect(c.headers['connection']).toBe('close');
    await expect(get(s.port(), '/abort')).rejects.toThrow();
    expect((await get(s.port(), '/json')).headers['content-type']).toBe('application/json');
  });
  it('request_body set replaces the body sent upstream', async () => {
    expect((await get(s.port(), '/setbody', { method: 'POST', body: 'original' })).body).toBe('replaced');
  });
  it('placeholder status codes; invalid ones become 500', async () => {
    expect((await get(s.port(), '/status', { headers: { 'X-Status': '202' } })).status).toBe(202);
    expect((await get(s.port(), '/status', { headers: { 'X-Status': 'nope' } })).status).toBe(500);
  });
});

let upPort = 0;
const up = net.createServer((sock) => {
  let buf = '';
  sock.on('data', (d) => {
    buf += d.toString();
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
    if (buf.length - end - 4 < len) return;
    const body = buf.slice(end + 4, end + 4 + len);
    sock.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  });
});
await new Promise<void>((r) =>
  up.listen(0, '127.0.0.1', () => {
    upPort = (up.address() as net.AddressInfo).port;
    r();
  }),
);

describe('TLS connection policy options', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              tls_connection_policies: [
                {
                  match: { sni_regexp: { pattern: '^old\\.' } },
                  protocol_max: 'tls1.2',
                  cipher_suites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
                  alpn: ['http/1.1'],
                },
                { match: { sni: ['drop.localhost'] }, drop: true },
                {},
              ],
              routes: [
                {
                  handle: [
                    {
                      handler: 'static_response',
                      body: '{http.request.tls.version} {http.request.tls.cipher_suite} {http.request.tls.proto}',
                    },
                  ],
                },
              ],
            },
          },
        },
        tls: {
          certificates: { automate: ['old.localhost', 'new.localhost', 'drop.localhost'] },
          automation: { policies: [{ issuers: [{ module: 'internal' }] }] },
        },
      },
    });
  });
  afterAll(() => s.close());

  const hs = (servername: string, alpn: string[]) =>
    new Promise<{ version: string | null; cipher: string; alpn: string | false | null }>((resolve, reject) => {
      s.inst.rootCertificate().then((ca) => {
        const c = tls.connect({ host: '127.0.0.1', port: s.port(), servername, ca, ALPNProtocols: alpn }, () => {
          resolve({ version: c.getProtocol(), cipher: c.getCipher().name, alpn: c.alpnProtocol });
          c.end();
        });
        c.on('error', reject);
      }, reject);
    });

  it('applies protocol_max, cipher suites and ALPN per matched policy', async () => {
    expect(await hs('old.localhost', ['h2', 'http/1.1'])).toEqual({
      version: 'TLSv1.2',
      cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256',
      alpn: 'http/1.1',
    });
    const n = await hs('new.localhost', ['h2', 'http/1.1']);
    expect(n.version).toBe('TLSv1.3');
    expect(n.alpn).toBe('h2');
  });

  it('drops connections a policy says to drop', async () => {
    await expect(hs('drop.localhost', ['http/1.1'])).rejects.toThrow();
  });
});
