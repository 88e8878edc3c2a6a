import net from 'node:net';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectContentType } from '../src/http/sniff.js';
import { start, type Started } from './helpers.js';

/** Sends raw bytes and returns everything read until the server closes (bounded), with the Date value masked. */
function exchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(request));
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      resolve(
        Buffer.concat(chunks)
          .toString('latin1')
          .replace(/^Date: .*\r$/gm, 'Date: X\r'),
      );
    };
    const timer = setTimeout(() => {
      sock.destroy();
      done();
    }, 3000);
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('close', done);
    sock.on('error', reject);
  });
}

const respond = (path: string, h: Record<string, unknown>): Record<string, unknown> => ({
  match: [{ path: [path] }],
  handle: [{ handler: 'static_response', ...h }],
  terminal: true,
});

describe('responses written as Go net/http writes them', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              logs: {},
              routes: [
                respond('/teapot', { status_code: 418, body: 'tea' }),
                respond('/range', { status_code: 416 }),
                respond('/odd', { status_code: 599, body: 'x' }),
                respond('/nm', {
                  status_code: 304,
                  body: 'body',
                  headers: { 'Content-Length': ['4'], 'X-Kept': ['1'] },
                }),
                respond('/nc', { status_code: 204, body: 'body', headers: { 'Content-Type': ['text/html'] } }),
                // Not terminal: the route after it gives the final response.
                {
                  ...respond('/hints', { status_code: 103, headers: { Link: ['</a.css>; rel=preload'] } }),
                  terminal: false,
                },
                respond('/continue', { status_code: 100 }),
                respond('/big', { body: 'a'.repeat(3000) }),
                respond('/small', { body: 'b'.repeat(2048) }),
                {
                  match: [{ path: ['/names'] }],
                  handle: [
                    { handler: 'headers', response: { set: { ETag: ['"e"'], 'x-lower-case': ['1'], WWW_Odd: ['2'] } } },
                    { handler: 'static_response', body: 'n' },
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/sniff'] }],
                  handle: [
                    { handler: 'headers', response: { delete: ['Content-Type'], deferred: true } },
                    { handler: 'static_response', body: '<html><b>x</b></html>' },
                  ],
                  terminal: true,
                },
                { handle: [{ handler: 'static_response', body: 'final' }] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(() => s.close());

  const req = (path: string, method = 'GET', version = '1.1'): Promise<string> =>
    exchange(s.port(), `${method} ${path} HTTP/${version}\r\nHost: localhost\r\nConnection: close\r\n\r\n`);

  it("writes Go's reason phrases on the status line", async () => {
    expect(await req('/teapot')).toMatch(/^HTTP\/1\.1 418 I'm a teapot\r\n/);
    expect(await req('/range')).toMatch(/^HTTP\/1\.1 416 Requested Range Not Satisfiable\r\n/);
    expect(await req('/odd')).toMatch(/^HTTP\/1\.1 599 status code 599\r\n/);
  });

  it("sends the handler's fields sorted, then Date and Content-Length, with Server: Caddy", async () => {
    const out = await req('/teapot');
    expect(out.slice(out.indexOf('\r\n') + 2)).toMatch(
      /^Content-Type: text\/plain; charset=utf-8\r\nServer: Caddy\r\nDate: X\r\nContent-Length: 3\r\n(Connection: close\r\n)?\r\ntea$/,
    );
  });

  it('drops the body of 304 and 204, with the fields net/http removes', async () => {
    const nm = await req('/nm');
    expect(nm).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n/);
    expect(nm).not.toMatch(/Content-(Length|Type)|Transfer-Encoding/i);
    expect(nm).toContain('X-Kept: 1\r\n');
    expect(nm.endsWith('\r\n\r\n')).toBe(true);
    // Go drops them from a copy: the access log still shows the handler's fields.
    const logged = s.logs
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => e['msg'] === 'handled request' && (e['request'] as Record<string, unknown>)['uri'] === '/nm');
    expect((logged!['resp_headers'] as Record<string, unknown>)['Content-Type']).toEqual(['text/plain; charset=utf-8']);
    expect(logged?.['size']).toBe(0);
    const nc = await req('/nc');
    expect(nc).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
    expect(nc).toContain('Content-Type: text/html\r\n');
    expect(nc).not.toMatch(/Content-Length|Transfer-Encoding/i);
    expect(nc.endsWith('\r\n\r\n')).toBe(true);
  });

  it('sends 103 Early Hints and goes on to the next handler; a bare 100 ends in an empty 200', async () => {
    const hints = await req('/hints');
    expect(hints).toMatch(
      /^HTTP\/1\.1 103 Early Hints\r\nLink: <\/a\.css>; rel=preload\r\nServer: Caddy\r\n\r\nHTTP\/1\.1 200 OK\r\n/,
    );
    expect(hints.endsWith('\r\n\r\nfinal')).toBe(true);
    // The empty Content-Type the 103 left does not keep the final response from getting one.
    expect(hints.slice(hints.indexOf('200 OK'))).toContain('Content-Type: text/plain; charset=utf-8\r\n');
    const cont = await req('/continue');
    expect(cont).toMatch(
      /^HTTP\/1\.1 100 Continue\r\nServer: Caddy\r\n\r\nHTTP\/1\.1 200 OK\r\n[^]*Content-Length: 0\r\n/,
    );
  });

  it('gives a Content-Length to a body of up to 2 KiB and chunks a longer one', async () => {
    expect(await req('/small')).toContain('Content-Length: 2048\r\n');
    const big = await req('/big');
    expect(big).toContain('Transfer-Encoding: chunked\r\n');
    expect(big).not.toContain('Content-Length');
    expect(big).toContain(`bb8\r\n${'a'.repeat(3000)}\r\n0\r\n\r\n`);
    // HTTP/1.0 cannot chunk: the body ends with the connection.
    const big10 = await req('/big', 'GET', '1.0');
    expect(big10).not.toMatch(/Content-Length|Transfer-Encoding/);
    expect(big10.endsWith(`\r\n\r\n${'a'.repeat(3000)}`)).toBe(true);
  });

  it('answers an Upgrade request that no handler switches with the same head (and then closes)', async () => {
    const up = (path: string): Promise<string> =>
      exchange(
        s.port(),
        `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
      );
    expect(await up('/teapot')).toBe(
      "HTTP/1.1 418 I'm a teapot\r\nContent-Type: text/plain; charset=utf-8\r\nServer: Caddy\r\nDate: X\r\nContent-Length: 3\r\nConnection: close\r\n\r\ntea",
    );
    expect(await up('/nm')).toBe(
      'HTTP/1.1 304 Not Modified\r\nServer: Caddy\r\nX-Kept: 1\r\nDate: X\r\nConnection: close\r\n\r\n',
    );
  });

  it("writes field names in Go's canonical case", async () => {
    const out = await req('/names');
    expect(out).toContain('Etag: "e"\r\n');
    expect(out).toContain('X-Lower-Case: 1\r\n');
    expect(out).toContain('Www_odd: 2\r\n');
  });

  it('answers HEAD with the fields a GET would get and no body', async () => {
    const head = await req('/teapot', 'HEAD');
    expect(head).toContain('Content-Length: 3\r\n');
    expect(head.endsWith('\r\n\r\n')).toBe(true);
  });

  it('sniffs a Content-Type for a body sent without one, but not when the field is there and empty', async () => {
    const sniffed = await req('/sniff');
    expect(sniffed).toContain('Content-Length: 21\r\nContent-Type: text/html; charset=utf-8\r\n');
    // static_response with no body leaves an empty Content-Type field: nothing is sniffed.
    expect(await req('/range')).not.toContain('Content-Type');
  });
});

describe("detectContentType (Go's DetectContentType)", () => {
  it.each([
    ['  <!DOCTYPE html><p>', 'text/html; charset=utf-8'],
    ['<p>x', 'text/html; charset=utf-8'],
    ['<px', 'text/plain; charset=utf-8'],
    ['\n<?xml version="1.0"?>', 'text/xml; charset=utf-8'],
    ['%PDF-1.4', 'application/pdf'],
    ['\x89PNG\r\n\x1a\n....', 'image/png'],
    ['GIF89a', 'image/gif'],
    ['\x1f\x8b\x08\x00', 'application/x-gzip'],
    ['\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom', 'video/mp4'],
    ['plain text', 'text/plain; charset=utf-8'],
    ['\x00\x01\x02binary', 'application/octet-stream'],
  ])('%j -> %s', (body, ct) => {
    expect(detectContentType(Buffer.from(body, 'latin1'))).toBe(ct);
  });
});

describe("HTTP/2 responses as Go's HTTP/2 server writes them", () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              protocols: ['h1', 'h2c'],
              automatic_https: { disable: true },
              routes: [
                {
                  ...respond('/hints', { status_code: 103, headers: { Link: ['</a.css>; rel=preload'] } }),
                  terminal: false,
                },
                respond('/nm', { status_code: 304, body: 'x' }),
                { handle: [{ handler: 'static_response', body: 'final' }] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(() => s.close());

  /** One h2c request: the informational heads, the final head and the body. */
  function h2c(
    path: string,
  ): Promise<{ info: http2.IncomingHttpHeaders[]; head: http2.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const client = http2.connect(`http://127.0.0.1:${s.port()}`);
      client.on('error', reject);
      const req = client.request({ ':path': path, ':authority': 'localhost' });
      const info: http2.IncomingHttpHeaders[] = [];
      let head: http2.IncomingHttpHeaders = {};
      let body = '';
      req.on('headers', (h) => info.push(h));
      req.on('response', (h) => {
        head = h;
      });
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        client.close();
        resolve({ info, head, body });
      });
      req.on('error', (e) => {
        client.close();
        reject(e);
      });
      req.setTimeout(5000, () => {
        req.close();
        reject(new Error('timeout'));
      });
      req.end();
    });
  }

  it("sends 103 as an informational head, then the next handler's response", async () => {
    const r = await h2c('/hints');
    expect(r.info.map((h) => h[':status'])).toEqual([103]);
    expect(r.info[0]!['link']).toBe('</a.css>; rel=preload');
    expect(r.head[':status']).toBe(200);
    expect(r.head['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toBe('final');
  });

  it("keeps a 304's Content-Type but not its body", async () => {
    const r = await h2c('/nm');
    expect(r.head[':status']).toBe(304);
    expect(r.head['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.head['content-length']).toBeUndefined();
    expect(r.body).toBe('');
  });
});
