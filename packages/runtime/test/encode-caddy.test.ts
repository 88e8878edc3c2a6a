/** encode as Caddy does it: HEAD like GET, Vary only when encoding, strong ETags with the encoding appended. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('encode', () => {
  let root: string;
  let s: Started;
  const gz = { 'accept-encoding': 'gzip' };
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-encode-'));
    writeFileSync(path.join(root, 'big.txt'), 'compressible '.repeat(400));
    const encode = { handler: 'encode', encodings: { gzip: {} } };
    const respond = (p: string, body: string, status = 200) => ({
      match: [{ path: [p] }],
      handle: [
        encode,
        { handler: 'static_response', status_code: status, body, headers: { 'Content-Type': ['text/plain'] } },
      ],
      terminal: true,
    });
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                respond('/small', 'tiny'),
                respond('/exact', 'x'.repeat(512)),
                respond('/over', 'x'.repeat(513)),
                respond('/nm', '', 304),
                { handle: [encode, { handler: 'file_server', root }] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('adds Vary only to responses it encodes', async () => {
    const small = await get(s.port(), '/small', { headers: gz });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers['vary']).toBeUndefined();
    const over = await get(s.port(), '/over', { headers: gz });
    expect(over.headers['content-encoding']).toBe('gzip');
    expect(over.headers['vary']).toBe('Accept-Encoding');
  });

  it('encodes bodies longer than minimum_length, not equal to it', async () => {
    expect((await get(s.port(), '/exact', { headers: gz })).headers['content-encoding']).toBeUndefined();
    expect((await get(s.port(), '/over', { headers: gz })).headers['content-encoding']).toBe('gzip');
  });

  it('gives a 304 the Vary a 200 would have', async () => {
    const r = await get(s.port(), '/nm', { headers: gz });
    expect(r.status).toBe(304);
    expect(r.headers['vary']).toBe('Accept-Encoding');
  });

  it('answers HEAD with the headers of GET', async () => {
    const g = await get(s.port(), '/big.txt', { headers: gz });
    const h = await get(s.port(), '/big.txt', { method: 'HEAD', headers: gz });
    expect(h.status).toBe(200);
    expect(h.headers['content-encoding']).toBe('gzip');
    expect(h.headers['accept-ranges']).toBeUndefined();
    expect(h.headers['content-length']).toBeUndefined();
    expect(h.headers['etag']).toBe(g.headers['etag']);
    expect(h.body).toBe('');
  });

  it('leaves range answers unencoded (deliberately unlike Caddy: Content-Range counts identity bytes)', async () => {
    const r = await get(s.port(), '/big.txt', { headers: { ...gz, range: 'bytes=0-999' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-length']).toBe('1000');
  });

  it('appends the encoding inside a strong ETag and understands it in If-None-Match', async () => {
    const plain = await get(s.port(), '/big.txt');
    const enc = await get(s.port(), '/big.txt', { headers: gz });
    expect(plain.headers['etag']).toMatch(/^"[^"]+"$/);
    expect(enc.headers['etag']).toBe(`${plain.headers['etag']!.slice(0, -1)}-gzip"`);
    const again = await get(s.port(), '/big.txt', { headers: { ...gz, 'if-none-match': enc.headers['etag']! } });
    expect(again.status).toBe(304);
  });
});

describe('encode and a streamed response', () => {
  let s: Started;
  let up: http.Server;
  let release: () => void = () => {};
  beforeAll(async () => {
    // The upstream sends a small first chunk and the rest only once the client has seen that chunk.
    up = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('line 0\n');
      new Promise<void>((resolve) => {
        release = resolve;
      }).then(
        () => res.end('more '.repeat(400)),
        () => {},
      );
    });
    await new Promise<void>((resolve) => up.listen(0, '127.0.0.1', resolve));
    const dial = `127.0.0.1:${(up.address() as AddressInfo).port}`;
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  handle: [
                    { handler: 'encode', encodings: { gzip: {} } },
                    { handler: 'reverse_proxy', upstreams: [{ dial }] },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    release();
    await s.close();
    await new Promise((resolve) => up.close(resolve));
  });

  it('passes a stream whose first write is small through as it comes, like Caddy', async () => {
    const got = await new Promise<{ encoding: string | undefined; body: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error('first chunk held back'));
      }, 3000);
      const req = http.get(
        {
          host: '127.0.0.1',
          port: s.port(),
          path: '/',
          agent: false,
          headers: { host: 'localhost', 'accept-encoding': 'gzip' },
        },
        (res) => {
          let body = '';
          res.setEncoding('latin1');
          res.on('data', (c: string) => {
            if (!body) {
              clearTimeout(timer);
              release();
            }
            body += c;
          });
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
    });
    expect(got.encoding).toBeUndefined();
    expect(got.body).toBe(`line 0\n${'more '.repeat(400)}`);
  });
});
