/**
 * The HTTP/1.1 engine reads requests as Go's net/http does: any method token, Go's framing, one request
 * at a time, 100-continue on the first body read, Go's keep-alive decisions and read timeouts.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Started } from './helpers.js';

/** A raw client: write, then read until the server closes or `idleMs` passes without data. */
function rawClient(port: number): {
  send: (s: string) => void;
  read: (untilText: string, waitMs?: number) => Promise<string>;
  closed: Promise<void>;
  close: () => void;
} {
  const c = net.connect(port, '127.0.0.1');
  c.on('error', () => {});
  let out = '';
  const waiters: Array<() => void> = [];
  c.on('data', (d) => {
    out += d.toString('latin1');
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<void>((resolve) =>
    c.on('close', () => {
      for (const w of waiters.splice(0)) w();
      resolve();
    }),
  );
  return {
    send: (s) => c.write(s),
    read: (untilText, waitMs = 3000) =>
      new Promise((resolve) => {
        const t = setTimeout(() => resolve(out), waitMs);
        const check = (): void => {
          if (out.includes(untilText) || c.destroyed) {
            clearTimeout(t);
            resolve(out);
          } else waiters.push(check);
        };
        check();
      }),
    closed,
    close: () => c.destroy(),
  };
}

/** Waits (at most `ms`) for the server to close the connection. */
function closedWithin(c: { closed: Promise<void> }, ms = 5000): Promise<unknown> {
  return Promise.race([c.closed, new Promise((r) => setTimeout(r, ms))]);
}

/** Sends the bytes and collects everything until the server closes (or 3 s pass). */
async function exchange(port: number, bytes: string): Promise<{ out: string; closed: boolean }> {
  const c = rawClient(port);
  c.send(bytes);
  let closed = false;
  await Promise.race([
    c.closed.then(() => {
      closed = true;
    }),
    new Promise((r) => setTimeout(r, 3000)),
  ]);
  const out = await c.read('', 0);
  c.close();
  return { out, closed };
}

describe('HTTP/1.1 engine', () => {
  let s: Started;
  let upstream: http.Server;
  let bodies: string[];
  beforeAll(async () => {
    bodies = [];
    upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString());
        res.end(`upstream got ${Buffer.concat(chunks).length}`);
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const up = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              read_header_timeout: '500ms',
              routes: [
                { match: [{ path: ['/proxy'] }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: up }] }] },
                {
                  match: [{ path: ['/echo*'] }],
                  handle: [
                    {
                      handler: 'static_response',
                      body: 'hp={http.request.hostport} u={http.request.uri} p={http.request.uri.path}',
                    },
                  ],
                },
                { handle: [{ handler: 'static_response', body: 'm={http.request.method} u={http.request.uri}' }] },
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

  it('accepts any method token, as Go does', async () => {
    const r = await exchange(s.port(), 'BREW /pot HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(r.out).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*m=BREW u=\/pot$/);
    const bad = await exchange(s.port(), 'BR(EW / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(bad.out).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('answers pipelined requests in order, one after the other', async () => {
    const r = await exchange(
      s.port(),
      'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPUT /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    const bodiesSeen = [...r.out.matchAll(/m=(\w+) u=(\/\d)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(bodiesSeen).toEqual(['GET /1', 'PUT /2', 'GET /3']);
    expect(r.closed).toBe(true);
  });

  it('takes identical duplicate Content-Lengths as one (Go does) and passes one upstream', async () => {
    const r = await exchange(
      s.port(),
      'POST /proxy HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello',
    );
    expect(r.out).toMatch(/upstream got 5$/);
  });

  it('refuses a head with bare-LF line ends (Go reads them; parsers that disagree on them smuggle)', async () => {
    for (const head of [
      'GET /lf HTTP/1.1\nHost: a\nConnection: close\n\n',
      'GET /lf HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n',
    ]) {
      const lf = await exchange(s.port(), `${head}GET /after HTTP/1.1\r\nHost: a\r\n\r\n`);
      expect(lf.out).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(lf.out.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
    }
  });

  it('refuses HTTP/2.0 and other versions Go does not serve over HTTP/1', async () => {
    const r = await exchange(s.port(), 'GET / HTTP/2.0\r\nHost: a\r\n\r\n');
    expect(r.out).toBe(
      'HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n505 HTTP Version Not Supported: unsupported protocol version',
    );
    expect((await exchange(s.port(), 'GET / HTTP/1.x\r\nHost: a\r\n\r\n')).out).toMatch(
      /^HTTP\/1\.1 400 Bad Request\r\n/,
    );
  });

  it('sends "100 Continue" when the handler reads the body, and 417 for other expectations', async () => {
    const c = rawClient(s.port());
    c.send('POST /proxy HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n');
    expect(await c.read('100 Continue')).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    c.send('ping');
    expect(await c.read('upstream got 4')).toMatch(/HTTP\/1\.1 200 OK[^]*upstream got 4$/);
    c.close();
    // A handler that answers without reading: no 100, and the connection closes (the body never comes).
    const d = rawClient(s.port());
    d.send('POST /static HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n');
    await closedWithin(d);
    const out = await d.read('', 0);
    expect(out).not.toContain('100 Continue');
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n/);
    d.close();
    const e = await exchange(s.port(), 'GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n');
    expect(e.out).toMatch(/^HTTP\/1\.1 417 Expectation Failed\r\n/);
    expect(e.closed).toBe(true);
  });

  it('keeps the connection after a small unread body and closes it after a large one', async () => {
    const small = await exchange(
      s.port(),
      'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect([...small.out.matchAll(/u=(\/\w)/g)].map((m) => m[1])).toEqual(['/a', '/b']);
    const c = rawClient(s.port());
    c.send(`POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: ${1 << 20}\r\n\r\n`);
    c.send('x'.repeat(1000));
    await closedWithin(c);
    expect(await c.read('', 0)).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n[^]*u=\/big$/);
    c.close();
  });

  it('closes, without an answer, a connection whose head does not arrive within read_header_timeout', async () => {
    const c = rawClient(s.port());
    c.send('GET / HTTP/1.1\r\nHost: a\r\n');
    await closedWithin(c);
    expect(await c.read('', 0)).toBe('');
    c.close();
  });

  it('gives a handler reading a chunked body its bytes and trailers', async () => {
    bodies.length = 0;
    const r = await exchange(
      s.port(),
      'POST /proxy HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n',
    );
    expect(r.out).toMatch(/upstream got 5$/);
    expect(bodies).toEqual(['abcde']);
  });

  it('answers "OPTIONS *" itself, as Go\'s server does', async () => {
    const r = await exchange(s.port(), 'OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(r.out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.out).toContain('Content-Length: 0\r\n');
    expect(r.out).not.toContain('m=OPTIONS');
  });

  it("escapes raw non-ASCII path bytes in {uri} as Go's RequestURI() does, and decodes them in the path", async () => {
    const c = net.connect(s.port(), '127.0.0.1');
    c.write(
      Buffer.concat([
        Buffer.from('GET /echo/caf'),
        Buffer.from('é?q=é'),
        Buffer.from(' HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'),
      ]),
    );
    const chunks: Buffer[] = [];
    c.on('data', (d: Buffer) => chunks.push(d));
    await Promise.race([new Promise((r) => c.on('close', r)), new Promise((r) => setTimeout(r, 3000))]);
    c.destroy();
    expect(Buffer.concat(chunks).toString('utf8')).toMatch(/u=\/echo\/caf%C3%A9\?q=é p=\/echo\/café$/);
  });

  it('serves CONNECT as an ordinary request whose authority is the host', async () => {
    const r = await exchange(s.port(), 'CONNECT /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(r.out).toMatch(/hp=a u=\/echo p=\/echo$/);
    const a = await exchange(
      s.port(),
      'CONNECT b.example:443 HTTP/1.1\r\nHost: b.example:443\r\nConnection: close\r\n\r\n',
    );
    expect(a.out).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*m=CONNECT u=\/$/);
  });

  it("refuses bad header names and values with Go's answers", async () => {
    const goError = (text: string): string =>
      `HTTP/1.1 400 Bad Request: ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request: ${text}`;
    expect((await exchange(s.port(), 'GET / HTTP/1.1\r\nHost: a\r\nX\x00: b\r\n\r\n')).out).toBe(
      goError('invalid header name'),
    );
    expect((await exchange(s.port(), 'GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n')).out).toBe(
      goError('invalid header value'),
    );
  });

  it('skips blank lines before a request only after a POST, as Go does', async () => {
    const afterPost = await exchange(
      s.port(),
      'POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    );
    expect([...afterPost.out.matchAll(/m=(\w+) u=(\/\d)/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'POST /1',
      'GET /2',
    ]);
    const fresh = await exchange(s.port(), '\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(fresh.out).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('writes the response head as Go does: HTTP/1.0 to HTTP/1.0 clients, no "Connection: keep-alive" on HTTP/1.1', async () => {
    const r = await exchange(
      s.port(),
      'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /3 HTTP/1.0\r\n\r\n',
    );
    const heads = r.out.split(/m=GET u=\/\d/).slice(0, 3);
    expect(heads[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(heads[0]).not.toContain('Connection:');
    expect(heads[1]).toMatch(/^HTTP\/1\.0 200 OK\r\n[^]*Connection: keep-alive\r\n/);
    expect(heads[2]).toMatch(/^HTTP\/1\.0 200 OK\r\n/);
    expect(heads[2]).not.toContain('Connection:');
    expect(r.closed).toBe(true);
  });
});

describe('HTTP/1.1 engine response writes', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                { match: [{ path: ['/big'] }], handle: [{ handler: 'static_response', body: 'x'.repeat(3000) }] },
                { handle: [{ handler: 'static_response', body: 'small' }] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
  });

  it('hands a response head and its small body to the connection in one write', async () => {
    const port = s.port();
    const writes: string[] = [];
    const original = net.Socket.prototype.write;
    // Counts the server side's writes on this server's connections (the client's go to another local port).
    net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
      if (this.localPort === port) writes.push(String(args[0]).slice(0, 12));
      return (original as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof original;
    try {
      const r = await exchange(port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
      expect(r.out).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Content-Length: 5\r\n[^]*\r\n\r\nsmall$/);
    } finally {
      net.Socket.prototype.write = original;
    }
    expect(writes).toHaveLength(1);
  });

  it('frames bodies as Go does: chunked over HTTP/1.1, until the close over HTTP/1.0', async () => {
    const v11 = await exchange(s.port(), 'GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(v11.out).toMatch(/\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\nx{3000}\r\n0\r\n\r\n$/);
    // An HTTP/1.0 client asking to keep the connection: a body without a length ends with the connection,
    // which Go does not announce to an HTTP/1.0 client.
    const v10 = await exchange(s.port(), 'GET /big HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n');
    expect(v10.closed).toBe(true);
    expect(v10.out).toMatch(/^HTTP\/1\.0 200 OK\r\n/);
    expect(v10.out).not.toMatch(/Connection:|Transfer-Encoding:/);
    expect(v10.out).toMatch(/\r\n\r\nx{3000}$/);
    // A small body has a length, so the HTTP/1.0 connection is kept, and said so.
    const c = rawClient(s.port());
    c.send('GET / HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n');
    const first = await c.read('small');
    expect(first).toMatch(/^HTTP\/1\.0 200 OK\r\n[^]*Content-Length: 5\r\nConnection: keep-alive\r\n\r\nsmall$/);
    c.send('GET / HTTP/1.0\r\nHost: a\r\n\r\n');
    await closedWithin(c);
    expect(await c.read('', 0)).toMatch(/small[^]*small$/);
  });
});

describe('HTTP/1.1 engine write_timeout', () => {
  let s: Started;
  let slow: http.Server;
  beforeAll(async () => {
    slow = http.createServer((_req, res) => {
      setTimeout(() => res.end('late'), 1500);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              write_timeout: '300ms',
              routes: [
                {
                  match: [{ path: ['/slow'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${(slow.address() as AddressInfo).port}` }],
                    },
                  ],
                },
                { handle: [{ handler: 'static_response', body: 'fast' }] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    slow.closeAllConnections();
    await new Promise((r) => slow.close(r));
  });

  it('drops the connection of a response not written within write_timeout, as Go does', async () => {
    expect((await exchange(s.port(), 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).out).toMatch(/fast$/);
    const r = await exchange(s.port(), 'GET /slow HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(r).toEqual({ out: '', closed: true });
  });
});
