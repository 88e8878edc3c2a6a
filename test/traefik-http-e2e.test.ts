/**
 * @module traefik-http-e2e: `proxy run --adapter traefik` with Traefik HTTP routers, services and middlewares, in
 * front of real upstreams (two node http servers): Host/PathPrefix routing with stripPrefix and headers, basicAuth,
 * redirectScheme to an HTTPS entry point, a sticky cookie, and a failing health check taking an upstream out.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, removeTempDirs, type TestCert } from '../packages/runtime/test/layer4-support.js';
import { type Answer, freePort, get, isolatedEnv, type Server, serveProxy, until } from './cli-support.js';

let dir: string;
let cert: TestCert;
let server: Server;
let web: number;
let websecure: number;
const upstreams: http.Server[] = [];
/** The status each upstream's /health answers with. */
const health: Record<string, number> = { a: 200, b: 200 };
/** The Host headers of the health probes. */
const probeHosts = new Set<string>();

const listen = (s: http.Server): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

/** An upstream answering with its tag and what it received. */
function upstream(tag: string): http.Server {
  return http.createServer((req, res) => {
    if (req.url === '/health') {
      probeHosts.add(req.headers.host ?? '');
      res.writeHead(health[tag]!).end();
      return;
    }
    res.setHeader('X-Upstream-Internal', 'secret');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ tag, method: req.method, url: req.url, headers: req.headers }));
  });
}

interface Echo {
  tag: string;
  method: string;
  url: string;
  headers: Record<string, string>;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-http-e2e-'));
  cert = makeCert(['secure.test']);
  upstreams.push(upstream('a'), upstream('b'));
  const [a, b] = await Promise.all(upstreams.map(listen));
  [web, websecure] = [await freePort(), await freePort()];
  const hash = bcrypt.hashSync('s3cret', 4);
  fs.writeFileSync(
    path.join(dir, 'traefik.yml'),
    `entryPoints:\n  web:\n    address: "127.0.0.1:${web}"\n  websecure:\n    address: "127.0.0.1:${websecure}"\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'dynamic.yml'),
    `
http:
  routers:
    api:
      rule: "Host(\`api.test\`) && PathPrefix(\`/api\`)"
      entryPoints: [web]
      service: pool
      middlewares: [strip-api, api-headers]
    admin:
      rule: "Host(\`admin.test\`)"
      entryPoints: [web]
      service: only-a
      middlewares: [auth]
    to-https:
      rule: "Host(\`secure.test\`)"
      entryPoints: [web]
      service: only-a
      middlewares: [https-redirect]
    secure:
      rule: "Host(\`secure.test\`)"
      entryPoints: [websecure]
      service: only-a
      middlewares: [https-redirect]
      tls: {}
  middlewares:
    strip-api:
      stripPrefix:
        prefixes: ["/api"]
    api-headers:
      headers:
        customRequestHeaders:
          X-Script-Name: "api"
          X-Drop-Me: ""
        customResponseHeaders:
          X-Served-By: "traefik-config"
          X-Upstream-Internal: ""
        frameDeny: true
    auth:
      basicAuth:
        users: ["alice:${hash}"]
        headerField: X-WebAuth-User
    https-redirect:
      redirectScheme:
        scheme: https
        port: "${websecure}"
  services:
    pool:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${a}"
          - url: "http://127.0.0.1:${b}"
        sticky:
          cookie:
            name: pool_affinity
            httpOnly: true
            sameSite: lax
        healthCheck:
          path: /health
          interval: 300ms
          timeout: 1s
          hostname: health.internal
    only-a:
      loadBalancer:
        servers:
          - url: "http://127.0.0.1:${a}"
tls:
  certificates:
    - certFile: "${cert.certFile}"
      keyFile: "${cert.keyFile}"
`,
  );
  server = serveProxy(
    [
      'run',
      '--adapter',
      'traefik',
      '--config',
      path.join(dir, 'dynamic.yml'),
      '--static',
      path.join(dir, 'traefik.yml'),
    ],
    isolatedEnv(dir, { CADDY_ADMIN: `127.0.0.1:${await freePort()}` }),
  );
  await until(() => get(web, '/'));
});

afterAll(async () => {
  await server?.stop();
  for (const u of upstreams) u.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

const echo = (a: Answer): Echo => JSON.parse(a.body) as Echo;
/** The affinity cookie's `name=value` from a response. */
const affinity = (a: Answer): string | undefined =>
  (a.headers['set-cookie'] ?? []).find((c) => c.startsWith('pool_affinity='))?.split(';')[0];

describe('Traefik HTTP routers through proxy run --adapter traefik', () => {
  it('routes by Host and PathPrefix, strips the prefix, and applies custom request and response headers', async () => {
    const r = await get(web, '/api/items?x=1', { Host: 'api.test', 'X-Drop-Me': 'no' });
    expect(r.status).toBe(200);
    const got = echo(r);
    expect(got.url).toBe('/items?x=1');
    expect(got.headers['x-forwarded-prefix']).toBe('/api');
    expect(got.headers['x-script-name']).toBe('api');
    expect(got.headers['x-drop-me']).toBeUndefined();
    // Traefik's forwarded headers beside Caddy's
    expect(got.headers['x-real-ip']).toBe('127.0.0.1');
    expect(got.headers['x-forwarded-server']).toBe(os.hostname());
    expect(got.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(r.headers['x-served-by']).toBe('traefik-config');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-upstream-internal']).toBeUndefined();
    // the path alone is "/" upstream, as Traefik sends it
    expect(echo(await get(web, '/api', { Host: 'api.test' })).url).toBe('/');
  });

  it("answers what no router takes with Traefik's 404", async () => {
    for (const [host, p] of [
      ['nobody.test', '/'],
      ['api.test', '/other'],
      ['api.test', '/API/items'],
    ] as const) {
      const r = await get(web, p, { Host: host });
      expect(r.status, `${host}${p}`).toBe(404);
      expect(r.body).toBe('404 page not found\n');
    }
  });

  it('asks for basic credentials and passes the user on', async () => {
    const denied = await get(web, '/', { Host: 'admin.test' });
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="traefik"');
    expect(denied.body).toBe('401 Unauthorized\n');
    const wrong = await get(web, '/', {
      Host: 'admin.test',
      Authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
    const ok = await get(web, '/', {
      Host: 'admin.test',
      Authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
    });
    expect(ok.status).toBe(200);
    expect(echo(ok).headers['x-webauth-user']).toBe('alice');
  });

  it('redirects to the HTTPS entry point (302 for GET, 307 otherwise), which serves the router with TLS (no second redirect there)', async () => {
    const r = await get(web, '/path?q=1', { Host: 'secure.test' });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe(`https://secure.test:${websecure}/path?q=1`);
    const post = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: web, method: 'POST', path: '/', headers: { Host: 'secure.test' }, agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('x');
    });
    expect(post).toBe(307);
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.get(
        {
          host: '127.0.0.1',
          port: websecure,
          path: '/path?q=1',
          servername: 'secure.test',
          headers: { Host: `secure.test:${websecure}` },
          ca: cert.cert,
          agent: false,
        },
        (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d.toString()));
          res.on('end', () => resolve(b));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ tag: 'a', url: '/path?q=1' });
  });

  it('keeps a client on its upstream with the sticky cookie, set with the configured attributes', async () => {
    const first = await get(web, '/api/', { Host: 'api.test' });
    const setCookie = (first.headers['set-cookie'] ?? []).find((c) => c.startsWith('pool_affinity='));
    expect(setCookie).toMatch(/^pool_affinity=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const cookie = affinity(first)!;
    const tag = echo(first).tag;
    for (let i = 0; i < 6; i++)
      expect(echo(await get(web, '/api/', { Host: 'api.test', Cookie: cookie })).tag).toBe(tag);
    // without the cookie, both upstreams take requests
    const tags = new Set<string>();
    for (let i = 0; i < 6; i++) tags.add(echo(await get(web, '/api/', { Host: 'api.test' })).tag);
    expect([...tags].sort()).toEqual(['a', 'b']);
  });

  it('takes an upstream out when its health check fails, even for clients stuck to it', async () => {
    const toB = await until(async () => {
      const r = await get(web, '/api/', { Host: 'api.test' });
      if (echo(r).tag !== 'b') throw new Error('not b yet');
      return affinity(r)!;
    }, 20);
    expect([...probeHosts]).toEqual(['health.internal']);
    health['b'] = 500;
    try {
      // bounded: the checks run every 300ms
      await until(
        async () => {
          for (let i = 0; i < 4; i++) {
            if (echo(await get(web, '/api/', { Host: 'api.test' })).tag !== 'a') throw new Error('b still serves');
          }
        },
        60,
        200,
      );
      const stuck = await get(web, '/api/', { Host: 'api.test', Cookie: toB });
      expect(echo(stuck).tag).toBe('a');
      // the client gets a cookie for the upstream that answered
      expect(affinity(stuck)).not.toBe(toB);
    } finally {
      health['b'] = 200;
    }
  });
});
