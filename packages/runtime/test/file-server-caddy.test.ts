/** file_server answers as Caddy's does: error pages, canonical URIs, precompressed sidecars, ServeContent. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, utimesSync, statSync, truncateSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('file_server like Caddy', () => {
  let s: Started;
  let root: string;
  const mtime = new Date('2024-03-05T06:07:08.5Z');
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-fsc-'));
    const put = (rel: string, data: string | Buffer): void => {
      writeFileSync(path.join(root, rel), data);
      utimesSync(path.join(root, rel), mtime, mtime);
    };
    mkdirSync(path.join(root, 'docs'));
    mkdirSync(path.join(root, 'err'));
    mkdirSync(path.join(root, 'private'));
    mkdirSync(path.join(root, 'ü'));
    writeFileSync(path.join(root, 'ü', 'index.html'), 'umlaut');
    put('docs/index.html', 'docs index');
    put('digits.txt', '0123456789');
    put('err/404.html', 'custom not found');
    put('err/500.html', 'custom server error');
    put('err/405.html', 'custom method not allowed');
    put('private/index.html', 'private');
    put('data.unknownext', 'data');
    put('large.bin', Buffer.alloc(4 * 1024 * 1024, 7));
    put('app.js', 'console.log("plain")');
    put('app.js.gz', zlib.gzipSync('console.log("gz")'));
    put('app.js.br', zlib.brotliCompressSync('console.log("br")'));
    writeFileSync(path.join(root, 'app.js.zst'), 'not really zstd');
    writeFileSync(path.join(root, 'epoch.txt'), 'old');
    utimesSync(path.join(root, 'epoch.txt'), 0, 0);
    execFileSync('mkfifo', [path.join(root, 'pipe.txt')]);
    const fs = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      handler: 'file_server',
      root,
      ...extra,
    });
    const strip = (prefix: string): Record<string, unknown> => ({ handler: 'rewrite', strip_path_prefix: prefix });
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/pre/*'] }],
                  handle: [
                    strip('/pre'),
                    fs({ precompressed: { zstd: {}, br: {}, gzip: {} }, precompressed_order: ['zstd', 'br', 'gzip'] }),
                  ],
                },
                {
                  match: [{ path: ['/try/*'] }],
                  handle: [
                    strip('/try'),
                    {
                      handler: 'subroute',
                      routes: [
                        {
                          match: [
                            { file: { root, try_files: ['{http.request.uri.path}/', '{http.request.uri.path}'] } },
                          ],
                          handle: [{ handler: 'rewrite', uri: '{http.matchers.file.relative}' }],
                        },
                        { handle: [fs()] },
                      ],
                    },
                  ],
                },
                { match: [{ path: ['/nocanon/*'] }], handle: [strip('/nocanon'), fs({ canonical_uris: false })] },
                { match: [{ path: ['/boom'] }], handle: [{ handler: 'error', status_code: 500, error: 'boom' }] },
                { handle: [fs({ hide: ['private'] })] },
              ],
              errors: {
                routes: [{ handle: [{ handler: 'rewrite', uri: '/err/{http.error.status_code}.html' }, fs()] }],
              },
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

  it('serves error pages with the error status, not 200', async () => {
    const nf = await get(s.port(), '/missing');
    expect(nf.status).toBe(404);
    expect(nf.body).toBe('custom not found');
    const boom = await get(s.port(), '/boom');
    expect(boom.status).toBe(500);
    expect(boom.body).toBe('custom server error');
    // An error page answers whatever the method was.
    const post = await get(s.port(), '/missing', { method: 'POST' });
    expect(post.status).toBe(404);
    expect(post.body).toBe('custom not found');
  });

  it('redirects to canonical URIs after try_files rewrites, as Caddy does with the original path', async () => {
    const dir = await get(s.port(), '/try/docs?x=1');
    expect(dir.status).toBe(308);
    expect(dir.headers['location']).toBe('/try/docs/?x=1');
    expect(dir.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(dir.body).toBe('<a href="/try/docs/?x=1">Permanent Redirect</a>.\n\n');
    expect((await get(s.port(), '/try/docs/')).body).toBe('docs index');
    const file = await get(s.port(), '/try/digits.txt/');
    expect(file.status).toBe(308);
    expect(file.headers['location']).toBe('/try/digits.txt');
    // Go escapes non-ASCII bytes of Location in lower-case hex; the body keeps the decoded path.
    const u = await get(s.port(), '/%C3%BC');
    expect(u.headers['location']).toBe('/%c3%bc/');
    expect(u.body).toBe('<a href="/ü/">Permanent Redirect</a>.\n\n');
    const head = await get(s.port(), '/try/docs', { method: 'HEAD' });
    expect(head.status).toBe(308);
    expect(head.body).toBe('');
  });

  it('404s a file asked for as a directory, and hidden directories before any redirect', async () => {
    expect((await get(s.port(), '/digits.txt/')).status).toBe(404);
    expect((await get(s.port(), '/private')).status).toBe(404);
    expect((await get(s.port(), '/private/')).status).toBe(404);
  });

  it('serves without redirecting when canonical_uris is off', async () => {
    const r = await get(s.port(), '/nocanon/docs');
    expect(r.status).toBe(200);
    expect(r.body).toBe('docs index');
  });

  it('picks precompressed sidecars by q-value, then by the configured order', async () => {
    const enc = async (ae: string): Promise<string | undefined> => {
      const r = await get(s.port(), '/pre/app.js', { headers: { 'Accept-Encoding': ae }, raw: true });
      expect(r.headers['vary']).toBe('Accept-Encoding');
      return r.headers['content-encoding'] as string | undefined;
    };
    expect(await enc('zstd;q=0.5, gzip')).toBe('gzip');
    expect(await enc('br;q=0, gzip;q=0.5, zstd;q=0.4')).toBe('gzip');
    expect(await enc('gzip, br, zstd')).toBe('zstd');
    expect(await enc('gzip, br')).toBe('br');
    expect(await enc('gzip;q=0')).toBeUndefined();
    expect(await enc('*')).toBeUndefined();
    const gz = await get(s.port(), '/pre/app.js', { headers: { 'Accept-Encoding': 'gzip' }, raw: true });
    const side = statSync(path.join(root, 'app.js.gz'));
    expect(gz.headers['content-length']).toBe(String(side.size));
    expect(gz.headers['etag']).toBe(`"${Math.floor(side.mtimeMs / 1000).toString(36)}${side.size.toString(36)}"`);
    expect(gz.headers['last-modified']).toBe('Tue, 05 Mar 2024 06:07:08 GMT');
    expect(gz.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(zlib.gunzipSync(Buffer.from(gz.body, 'latin1')).toString()).toBe('console.log("gz")');
  });

  it('answers ETag and date preconditions as Go does', async () => {
    const r = await get(s.port(), '/digits.txt');
    expect(r.headers['etag']).toBe(`"${(mtime.getTime() / 1000 - 0.5).toString(36)}a"`);
    expect(r.headers['last-modified']).toBe('Tue, 05 Mar 2024 06:07:08 GMT');
    const inm = await get(s.port(), '/digits.txt', {
      headers: { 'If-None-Match': `"x", W/${String(r.headers['etag'])}` },
    });
    expect(inm.status).toBe(304);
    expect(inm.headers['last-modified']).toBeUndefined();
    expect(inm.headers['content-type']).toBeUndefined();
    expect(
      (await get(s.port(), '/digits.txt', { headers: { 'If-Modified-Since': 'Tue, 05 Mar 2024 06:07:08 GMT' } }))
        .status,
    ).toBe(304);
    expect(
      (await get(s.port(), '/digits.txt', { headers: { 'If-Modified-Since': 'Tue, 05 Mar 2024 06:07:07 GMT' } }))
        .status,
    ).toBe(200);
    expect((await get(s.port(), '/digits.txt', { headers: { 'If-Match': '"other"' } })).status).toBe(412);
    expect(
      (await get(s.port(), '/digits.txt', { headers: { 'If-Unmodified-Since': 'Tue, 05 Mar 2024 06:07:07 GMT' } }))
        .status,
    ).toBe(412);
    // Go takes the Unix epoch for an unknown time: no Last-Modified, and date preconditions do not apply.
    const epoch = await get(s.port(), '/epoch.txt', {
      headers: { 'If-Modified-Since': 'Tue, 05 Mar 2024 06:07:07 GMT' },
    });
    expect(epoch.status).toBe(200);
    expect(epoch.headers['last-modified']).toBeUndefined();
  });

  it('answers ranges: one, several (multipart), unsatisfiable and invalid', async () => {
    const one = await get(s.port(), '/digits.txt', { headers: { Range: 'bytes=-3' } });
    expect(one.status).toBe(206);
    expect(one.headers['content-range']).toBe('bytes 7-9/10');
    expect(one.body).toBe('789');
    const multi = await get(s.port(), '/digits.txt', { headers: { Range: 'bytes=0-1,5-' } });
    expect(multi.status).toBe(206);
    const m = /^multipart\/byteranges; boundary=([0-9a-f]{60})$/.exec(String(multi.headers['content-type']));
    expect(m).not.toBeNull();
    const b = m![1]!;
    expect(multi.body).toBe(
      `--${b}\r\nContent-Range: bytes 0-1/10\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n01` +
        `\r\n--${b}\r\nContent-Range: bytes 5-9/10\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n56789\r\n--${b}--\r\n`,
    );
    expect(multi.headers['content-length']).toBe(String(Buffer.byteLength(multi.body)));
    const none = await get(s.port(), '/digits.txt', { headers: { Range: 'bytes=20-' } });
    expect(none.status).toBe(416);
    expect(none.headers['content-range']).toBe('bytes */10');
    expect(none.body).toBe('invalid range: failed to overlap\n');
    const bad = await get(s.port(), '/digits.txt', { headers: { Range: 'bytes=5-2' } });
    expect(bad.status).toBe(416);
    expect(bad.body).toBe('invalid range\n');
    const stale = await get(s.port(), '/digits.txt', { headers: { Range: 'bytes=0-1', 'If-Range': '"stale"' } });
    expect(stale.status).toBe(200);
    expect(stale.body).toBe('0123456789');
  });

  it('leaves Content-Type out for unknown extensions and answers other methods 405', async () => {
    const r = await get(s.port(), '/data.unknownext');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBeUndefined();
    const head = await get(s.port(), '/digits.txt', { method: 'HEAD' });
    expect(head.headers['content-length']).toBe('10');
    expect(head.body).toBe('');
    const put = await get(s.port(), '/nocanon/digits.txt', { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers['allow']).toBe('GET, HEAD');
    expect(put.body).toBe('custom method not allowed');
  });

  it('does not hang on a FIFO (nor stall other requests)', async () => {
    for (let i = 0; i < 6; i++) expect((await get(s.port(), '/pipe.txt')).status).toBe(404);
    expect((await get(s.port(), '/digits.txt')).body).toBe('0123456789');
  });

  it('sends a large file without piling up listeners on the response', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.name);
    };
    process.on('warning', onWarning);
    try {
      const r = await get(s.port(), '/large.bin', { raw: true });
      expect(r.body.length).toBe(4 * 1024 * 1024);
      // Warnings are emitted on the next tick.
      await new Promise((res) => setImmediate(res));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('file_server and clients that leave', () => {
  it('stops reading a file once the client has gone', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'proxy-fsgone-'));
    const size = 256 * 1024 * 1024;
    writeFileSync(path.join(root, 'sparse.bin'), '');
    truncateSync(path.join(root, 'sparse.bin'), size);
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: { listen: ['127.0.0.1:0'], logs: {}, routes: [{ handle: [{ handler: 'file_server', root }] }] },
          },
        },
      },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const sock = net.connect(s.port(), '127.0.0.1', () =>
          sock.write('GET /sparse.bin HTTP/1.1\r\nHost: localhost\r\n\r\n'),
        );
        let got = 0;
        sock.on('data', (d: Buffer) => {
          got += d.length;
          if (got > 1024 * 1024) {
            sock.destroy();
            resolve();
          }
        });
        sock.on('error', reject);
      });
      let line: { size: number } | undefined;
      for (let i = 0; i < 200 && !line; i++) {
        const found = s.logs.find((l) => l.includes('/sparse.bin'));
        if (found) line = JSON.parse(found) as { size: number };
        else await new Promise((res) => setTimeout(res, 50));
      }
      expect(line).toBeDefined();
      expect(line!.size).toBeLessThan(size / 2);
    } finally {
      await s.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
