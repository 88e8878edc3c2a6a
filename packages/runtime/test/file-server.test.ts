import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('file_server and encode', () => {
  let s: Started;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-fs-'));
    writeFileSync(path.join(root, 'index.html'), '<h1>home</h1>');
    writeFileSync(path.join(root, 'big.txt'), 'lorem ipsum '.repeat(500));
    writeFileSync(path.join(root, 'secret.txt'), 'secret');
    writeFileSync(path.join(root, 'app.js'), 'console.log("plain")');
    writeFileSync(path.join(root, 'app.js.gz'), zlib.gzipSync('console.log("sidecar")'));
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs', 'index.html'), 'docs index');
    mkdirSync(path.join(root, 'empty'));
    mkdirSync(path.join(root, 'listing'));
    mkdirSync(path.join(root, 'listing', 'sub'));
    writeFileSync(path.join(root, 'listing', 'b.txt'), 'bb');
    writeFileSync(path.join(root, 'listing', 'a <x>.txt'), 'a');
    writeFileSync(path.join(root, 'listing', 'secret.txt'), 's');
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/gz/*'] }],
                  handle: [
                    { handler: 'rewrite', strip_path_prefix: '/gz' },
                    { handler: 'encode', encodings: { gzip: {} }, prefer: ['gzip'] },
                    { handler: 'file_server', root },
                  ],
                },
                {
                  match: [{ path: ['/browse/*'] }],
                  handle: [
                    { handler: 'rewrite', strip_path_prefix: '/browse' },
                    { handler: 'file_server', root, hide: ['secret.txt'], browse: {} },
                  ],
                },
                {
                  match: [{ path: ['/pre/*'] }],
                  handle: [
                    { handler: 'rewrite', strip_path_prefix: '/pre' },
                    {
                      handler: 'file_server',
                      root,
                      precompressed: { br: {}, gzip: {} },
                      precompressed_order: ['br', 'gzip'],
                    },
                  ],
                },
                { handle: [{ handler: 'file_server', root, hide: ['secret.txt'] }] },
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

  it('serves files, index files and content types', async () => {
    const r = await get(s.port(), '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('<h1>home</h1>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['etag']).toBeTruthy();
    expect((await get(s.port(), '/big.txt')).body.length).toBe(6000);
  });

  it('redirects directories to their canonical trailing-slash URI', async () => {
    const r = await get(s.port(), '/docs');
    expect(r.status).toBe(308);
    expect(r.headers['location']).toBe('/docs/');
    expect((await get(s.port(), '/docs/')).body).toBe('docs index');
  });

  it('404s for missing files, hidden files, directories without index (no browse) and traversal', async () => {
    expect((await get(s.port(), '/missing')).status).toBe(404);
    expect((await get(s.port(), '/secret.txt')).status).toBe(404);
    expect((await get(s.port(), '/empty/')).status).toBe(404);
    expect((await get(s.port(), '/../../etc/passwd')).status).toBe(404);
  });

  it('lists directories when browse is on (HTML and JSON), honouring hide', async () => {
    const html = await get(s.port(), '/browse/listing/');
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('a &lt;x&gt;.txt');
    expect(html.body).not.toContain('secret');
    const json = await get(s.port(), '/browse/listing/', { headers: { Accept: 'application/json' } });
    const items = JSON.parse(json.body) as Array<{ name: string; size: number; is_dir: boolean; url: string }>;
    expect(items.map((i) => i.name)).toEqual(['sub/', 'a <x>.txt', 'b.txt']);
    expect(items[2]).toMatchObject({ size: 2, is_dir: false, url: './b.txt' });
    expect((await get(s.port(), '/browse/listing')).status).toBe(308);
  });

  it('answers conditional and range requests', async () => {
    const r = await get(s.port(), '/big.txt');
    const c = await get(s.port(), '/big.txt', { headers: { 'If-None-Match': String(r.headers['etag']) } });
    expect(c.status).toBe(304);
    const part = await get(s.port(), '/big.txt', { headers: { Range: 'bytes=0-4' } });
    expect(part.status).toBe(206);
    expect(part.body).toBe('lorem');
  });

  it('serves precompressed sidecars to clients that accept them', async () => {
    const r = await get(s.port(), '/pre/app.js', { headers: { 'Accept-Encoding': 'br, gzip' }, raw: true });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.headers['vary']).toContain('Accept-Encoding');
    expect(zlib.gunzipSync(Buffer.from(r.body, 'latin1')).toString()).toBe('console.log("sidecar")');
    const plain = await get(s.port(), '/pre/app.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log("plain")');
  });

  it('gzips compressible responses when the client accepts it', async () => {
    const r = await get(s.port(), '/gz/big.txt', { headers: { 'Accept-Encoding': 'gzip' }, raw: true });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(Buffer.from(r.body, 'latin1')).toString()).toBe('lorem ipsum '.repeat(500));
    const small = await get(s.port(), '/gz/index.html', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('<h1>home</h1>');
    const plain = await get(s.port(), '/gz/big.txt');
    expect(plain.headers['content-encoding']).toBeUndefined();
  });
});
