/**
 * @module cli-quick-vs-caddy.test: `proxy file-server` and `proxy reverse-proxy` answer what Caddy's same commands
 * answer (Debian's caddy 2.6.2, the oracle; skipped where it is not installed). Headers that differ by design
 * between 2.6.2 and current Caddy (Via, added by current Caddy's reverse proxy) are left out.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Answer, freePort, get, isolatedEnv, serve, serveProxy, type Server } from './cli-support.js';

const caddy = process.env['CADDY_BIN'] ?? '/usr/bin/caddy';
const hasCaddy = spawnSync(caddy, ['version']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'cli-vs-caddy-'));
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the same quick command under caddy and proxy; resolves once both serve. */
async function both(caddyArgs: string[], proxyArgs: string[]): Promise<void> {
  const env = isolatedEnv(dir);
  const c = serve(caddy, caddyArgs, env);
  const p = serveProxy(proxyArgs, env);
  servers.push(c, p);
  await Promise.all([c.waitFor(/serving static files|proxying/), p.waitFor(/serving static files|proxying/)]);
}

const keep = [
  'content-type',
  'content-length',
  'location',
  'accept-ranges',
  'etag',
  'last-modified',
  'content-range',
  'server',
];
function view(a: Answer, headers = keep): Record<string, unknown> {
  return { status: a.status, body: a.body, ...Object.fromEntries(headers.map((h) => [h, a.headers[h]])) };
}

describe.runIf(hasCaddy)('quick commands: proxy vs caddy', () => {
  it('file-server --browse answers files, redirects, 404s and ranges as caddy file-server does', async () => {
    const root = path.join(dir, 'www');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    writeFileSync(path.join(root, 'a.txt'), 'hello file server\n');
    writeFileSync(path.join(root, 'index.html'), '<p>index</p>\n');
    writeFileSync(path.join(root, 'sub', 'b.json'), '{"b":1}');
    const [cp, pp] = [await freePort(), await freePort()];
    await both(
      ['file-server', '--root', root, '--listen', `127.0.0.1:${cp}`, '--browse'],
      // 2.6.2's file-server has no encode handler; current Caddy's compresses (proxy's too): compare without.
      ['file-server', '--root', root, '--listen', `127.0.0.1:${pp}`, '--browse', '--no-compress'],
    );
    for (const [p, h] of [
      ['/a.txt', {}],
      ['/', {}],
      ['/sub', {}],
      ['/sub/b.json', {}],
      ['/missing', {}],
      ['/a.txt', { range: 'bytes=0-4' }],
    ] as const) {
      const [c, x] = [await get(cp, p, h), await get(pp, p, h)];
      expect(view(x), `GET ${p}`).toEqual(view(c));
    }
    const [c, x] = [await get(cp, '/sub/'), await get(pp, '/sub/')];
    expect(x.status).toBe(c.status);
    expect(x.headers['content-type']).toBe(c.headers['content-type']);
    expect(x.body).toContain('b.json');
  });

  it('reverse-proxy --change-host-header sends the upstream what caddy reverse-proxy sends', async () => {
    const upstream = http.createServer((req, res) => {
      const seen = ['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'user-agent'];
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-upstream', 'yes');
      res.end(
        JSON.stringify({
          url: req.url,
          method: req.method,
          ...Object.fromEntries(seen.map((h) => [h, req.headers[h]])),
        }),
      );
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const up = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    try {
      const [cp, pp] = [await freePort(), await freePort()];
      await both(
        ['reverse-proxy', '--from', `:${cp}`, '--to', up, '--change-host-header'],
        ['reverse-proxy', '--from', `:${pp}`, '--to', up, '--change-host-header'],
      );
      const h = { 'user-agent': 'cli-test' };
      const [c, x] = [await get(cp, '/p/a?b=c', h), await get(pp, '/p/a?b=c', h)];
      const headers = ['content-type', 'content-length', 'x-upstream', 'server'];
      // X-Forwarded-Host names each server's own port.
      const norm = (a: Answer, port: number) => ({ ...a, body: a.body.replaceAll(`:${port}"`, ':PORT"') });
      expect(view(norm(x, pp), headers)).toEqual(view(norm(c, cp), headers));
      expect(JSON.parse(x.body)).toMatchObject({ host: up, url: '/p/a?b=c', 'x-forwarded-proto': 'http' });
    } finally {
      upstream.close();
    }
  });
});
