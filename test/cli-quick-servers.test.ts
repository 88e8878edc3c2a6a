/**
 * @module cli-quick-servers.test: `proxy respond`, `proxy reverse-proxy` and `proxy file-server` through the bundle:
 * the JSON each builds (Caddy's, from its command.go files) and what they serve.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fileServerConfig, respondConfig, reverseProxyConfig, statusAndBody } from '@proxy/cli/commands/index-runtime';
import { freePort, freePortPair, get, isolatedEnv, proxy, serveProxy, type Server } from './cli-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cli-quick-'));
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});
const env = isolatedEnv(dir);

function start(args: string[], input?: string): Server {
  const s = serveProxy(args, env, input);
  servers.push(s);
  return s;
}

describe('proxy respond', () => {
  it('serves one server per port of --listen, with the body template, status, headers, and prints the addresses', async () => {
    const port = await freePortPair();
    const s = start([
      'respond',
      '--listen',
      `127.0.0.1:${port}-${port + 1}`,
      '-H',
      'x-test: yes',
      '--status',
      '202',
      'n={{.N}} port={{ .Port }} at {{.Address}}',
    ]);
    const m = await s.waitFor(new RegExp(`Server address: 127\\.0\\.0\\.1:${port + 1}`));
    expect(m).toBeTruthy();
    expect(s.output()).toContain(`Server address: 127.0.0.1:${port}\n`);
    const a = await get(port);
    expect(a.status).toBe(202);
    expect(a.headers['x-test']).toBe('yes');
    expect(a.body).toBe(`n=0 port=${port} at 127.0.0.1:${port}`);
    expect((await get(port + 1)).body).toBe(`n=1 port=${port + 1} at 127.0.0.1:${port + 1}`);
    await s.stop();
  });

  it('takes a 3-digit argument as the status and a piped stdin as the body', async () => {
    const s = start(['respond', '--listen', '127.0.0.1:0', '418'], 'from stdin');
    const [, port] = await s.waitFor(/Server address: 127\.0\.0\.1:(\d+)/);
    const a = await get(Number(port));
    expect(a.status).toBe(418);
    expect(a.body).toBe('from stdin');
    await s.stop();
  });

  it('picks status and body as Caddy does', () => {
    const none = () => undefined;
    expect(statusAndBody({}, 'hello', false, none)).toEqual({ status: 200, body: 'hello' });
    expect(statusAndBody({}, '503', false, none)).toEqual({ status: 503, body: '' });
    // With --status given, a number is the body (Caddy's else branch).
    expect(statusAndBody({ status: '201' }, '503', true, none)).toEqual({ status: 201, body: '503' });
    expect(statusAndBody({}, undefined, false, () => 'piped')).toEqual({ status: 200, body: 'piped' });
    expect(() => statusAndBody({ body: 'b', status: '200' }, 'x', true, none)).toThrow(/overridden by flags/);
  });

  it('builds the JSON of `caddy respond`', () => {
    expect(respondConfig({ listen: ':8080', header: ['content-type: text/html'], accessLog: true }, 200, 'hi')).toEqual(
      {
        admin: { disabled: true, config: { persist: false } },
        apps: {
          http: {
            servers: {
              static0: {
                listen: [':8080'],
                read_header_timeout: 10_000_000_000,
                idle_timeout: 30_000_000_000,
                max_header_bytes: 10240,
                routes: [
                  {
                    handle: [
                      {
                        handler: 'static_response',
                        status_code: '200',
                        body: 'hi',
                        headers: { 'Content-Type': ['text/html'] },
                      },
                    ],
                  },
                ],
                automatic_https: { disable_redirects: true },
                logs: {},
              },
            },
          },
        },
      },
    );
  });

  it('refuses a malformed header flag with one line', async () => {
    const r = await proxy(['respond', '--listen', '127.0.0.1:0', '-H', 'nocolon', 'x'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: header 0: invalid format "nocolon" (expecting "Field: value")');
  });
});

describe('proxy reverse-proxy', () => {
  it('builds the JSON of `caddy reverse-proxy`', () => {
    const { config } = reverseProxyConfig({
      from: 'example.com',
      to: ['https://10.0.0.1:9000-9001'],
      insecure: true,
      changeHostHeader: true,
      headerUp: ['x-up: 1'],
      headerDown: ['x-down: 2'],
      internalCerts: true,
      disableRedirects: true,
      debug: true,
    });
    expect(config).toEqual({
      admin: { disabled: true, config: { persist: false } },
      apps: {
        http: {
          servers: {
            proxy: {
              listen: [':443'],
              routes: [
                {
                  match: [{ host: ['example.com'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      transport: { protocol: 'http', tls: { insecure_skip_verify: true } },
                      upstreams: [{ dial: '10.0.0.1:9000' }, { dial: '10.0.0.1:9001' }],
                      headers: {
                        request: { set: { 'X-Up': ['1'], Host: ['{http.reverse_proxy.upstream.hostport}'] } },
                        response: { set: { 'X-Down': ['2'] } },
                      },
                    },
                  ],
                },
              ],
              automatic_https: { disable_redirects: true },
            },
          },
        },
        tls: { automation: { policies: [{ subjects: ['example.com'], issuers: [{ module: 'internal' }] }] } },
      },
      logging: { logs: { default: { level: 'DEBUG' } } },
    });
    // A bare port is plain HTTP, without a host matcher.
    const bare = reverseProxyConfig({ from: ':8080', to: ['localhost:9000'] }).config as {
      apps: { http: { servers: { proxy: object } } };
    };
    expect(bare.apps.http.servers.proxy).toEqual({
      listen: [':8080'],
      routes: [
        {
          handle: [
            { handler: 'reverse_proxy', transport: { protocol: 'http' }, upstreams: [{ dial: 'localhost:9000' }] },
          ],
        },
      ],
      automatic_https: { disable: true },
    });
    expect(() => reverseProxyConfig({ from: 'example.com/path', to: ['x:1'] })).toThrow(/paths are not allowed/);
    expect(() => reverseProxyConfig({ from: ':80' })).toThrow(/--to is required/);
  });

  it('proxies to the upstream, with --change-host-header and --header-up/--header-down', async () => {
    const upstream = http.createServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`host=${req.headers.host} up=${req.headers['x-up']} path=${req.url}`);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const upPort = (upstream.address() as AddressInfo).port;
    try {
      const port = await freePort();
      const s = start([
        'reverse-proxy',
        '--from',
        `:${port}`,
        '--to',
        `127.0.0.1:${upPort}`,
        '--change-host-header',
        '--header-up',
        'X-Up: sent',
        '--header-down',
        'X-Down: back',
      ]);
      await s.waitFor(/proxy proxying/);
      const a = await get(port, '/some/path?q=1');
      expect(a.status).toBe(200);
      expect(a.body).toBe(`host=127.0.0.1:${upPort} up=sent path=/some/path?q=1`);
      expect(a.headers['x-down']).toBe('back');
      await s.stop();
    } finally {
      upstream.close();
    }
  });
});

describe('proxy file-server', () => {
  it('builds the JSON of current `caddy file-server`', () => {
    const { config, listen } = fileServerConfig({
      domain: 'example.com',
      root: '/srv',
      browse: true,
      precompressed: ['br', 'gzip'],
      compress: false,
    });
    expect(listen).toBe(':443');
    expect(config).toEqual({
      admin: { disabled: true, config: { persist: false } },
      apps: {
        http: {
          servers: {
            static: {
              listen: [':443'],
              read_header_timeout: 10_000_000_000,
              idle_timeout: 30_000_000_000,
              max_header_bytes: 10240,
              routes: [
                {
                  match: [{ host: ['example.com'] }],
                  handle: [
                    {
                      handler: 'file_server',
                      root: '/srv',
                      precompressed: { br: {}, gzip: {} },
                      precompressed_order: ['br', 'gzip'],
                      browse: {},
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    expect(fileServerConfig({}).listen).toBe(':80');
    expect(() => fileServerConfig({ precompressed: ['lzma'] })).toThrow(
      /module not registered: http\.precompressed\.lzma/,
    );
  });

  it('serves files, directory listings with --browse, and compresses', async () => {
    const www = path.join(dir, 'www');
    mkdirSync(path.join(www, 'sub'), { recursive: true });
    writeFileSync(path.join(www, 'a.txt'), 'a'.repeat(4000));
    writeFileSync(path.join(www, 'sub', 'b.txt'), 'b');
    const port = await freePort();
    const s = start(['file-server', '--root', www, '--listen', `127.0.0.1:${port}`, '--browse']);
    await s.waitFor(/serving static files/);
    const plain = await get(port, '/a.txt');
    expect(plain.status).toBe(200);
    expect(plain.body).toBe('a'.repeat(4000));
    const gz = await get(port, '/a.txt', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(gz.body, 'latin1')).toString()).toBe('a'.repeat(4000));
    const listing = await get(port, '/sub/');
    expect(listing.status).toBe(200);
    expect(listing.body).toContain('b.txt');
    await s.stop();
  });
});
