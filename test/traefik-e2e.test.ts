/**
 * @module traefik-e2e: `proxy run --adapter traefik` with Traefik files, against real clients: openssl s_client
 * (TLS termination to a TCP echo, and passthrough where the upstream's own certificate reaches the client) and
 * psql 15 with sslmode=require (Postgres STARTTLS, terminated and passed through, as Traefik does).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, removeTempDirs, type TestCert } from '../packages/runtime/test/layer4-support.js';
import { exec, freePort, isolatedEnv, proxy, root, type Server, serveProxy, until } from './cli-support.js';
import { conninfo, type PgCluster, psql, startPostgres } from './l4-support.js';

let dir: string;
let front: TestCert;
let back: TestCert;
let pgCert: TestCert;
let echo: net.Server;
let backTls: tls.Server;
let plainPg: PgCluster;
let tlsPg: PgCluster;
let server: Server;
let port: number;
let dynamicFile: string;
let staticFile: string;
let seedServer: Server;
let seedPort: number;

const listen = (s: net.Server): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-e2e-'));
  front = makeCert(['front.example.com']);
  back = makeCert(['back.example.com']);
  pgCert = makeCert(['pg.example.com', 'pgtls.example.com', 'pg17.example.com']);
  // Answers the first chunk with a tag and closes, so a client reading to the end sees it.
  echo = net.createServer((s) => {
    s.on('error', () => s.destroy());
    s.once('data', (d) => s.end(`echo:${d.toString()}`));
  });
  backTls = tls.createServer({ key: back.key, cert: back.cert }, (s) => {
    s.on('error', () => s.destroy());
    s.once('data', (d) => s.end(`back:${d.toString()}`));
  });
  const [echoPort, backPort] = await Promise.all([listen(echo), listen(backTls)]);
  [plainPg, tlsPg] = await Promise.all([
    startPostgres(),
    startPostgres({ certFile: pgCert.certFile, keyFile: pgCert.keyFile }),
  ]);
  port = await freePort();
  staticFile = path.join(dir, 'traefik.yml');
  fs.writeFileSync(staticFile, `entryPoints:\n  tcp:\n    address: "127.0.0.1:${port}"\n`);
  // TOML, as the seed's second tab; services and certificates as a Traefik user writes them.
  dynamicFile = path.join(dir, 'dynamic.toml');
  fs.writeFileSync(
    dynamicFile,
    `
[tcp.routers.front]
  rule = "HostSNI(\`front.example.com\`)"
  service = "echo"
  [tcp.routers.front.tls]

[tcp.routers.back]
  rule = "HostSNI(\`back.example.com\`)"
  service = "back"
  [tcp.routers.back.tls]
    passthrough = true

[tcp.routers.pg]
  rule = "HostSNI(\`pg.example.com\`)"
  service = "plain-pg"
  [tcp.routers.pg.tls]

[tcp.routers.pgtls]
  rule = "HostSNI(\`pgtls.example.com\`)"
  service = "tls-pg"
  [tcp.routers.pgtls.tls]
    passthrough = true

[tcp.routers.pg17]
  rule = "HostSNI(\`pg17.example.com\`)"
  service = "plain-pg"
  [tcp.routers.pg17.tls]
    options = "postgres"

[tcp.routers.plain]
  rule = "HostSNI(\`*\`)"
  service = "back-over-tls"

[tcp.services.back-over-tls.loadBalancer]
  serversTransport = "skip-verify"
  [[tcp.services.back-over-tls.loadBalancer.servers]]
    address = "127.0.0.1:${backPort}"
    tls = true

[tcp.serversTransports.skip-verify.tls]
  insecureSkipVerify = true

[tcp.routers.strict]
  rule = "HostSNI(\`strict.example.com\`)"
  service = "echo"
  [tcp.routers.strict.tls]
    options = "strict"

[tcp.routers.lenient]
  rule = "HostSNI(\`lenient.example.com\`)"
  service = "echo"
  [tcp.routers.lenient.tls]

[tls.options.strict]
  sniStrict = true

[tls.options.postgres]
  alpnProtocols = ["postgresql"]

[tcp.services.echo.loadBalancer]
  [[tcp.services.echo.loadBalancer.servers]]
    address = "127.0.0.1:${echoPort}"
[tcp.services.back.loadBalancer]
  [[tcp.services.back.loadBalancer.servers]]
    address = "127.0.0.1:${backPort}"
[tcp.services.plain-pg.loadBalancer]
  [[tcp.services.plain-pg.loadBalancer.servers]]
    address = "127.0.0.1:${plainPg.port}"
[tcp.services.tls-pg.loadBalancer]
  [[tcp.services.tls-pg.loadBalancer.servers]]
    address = "127.0.0.1:${tlsPg.port}"

[[tls.certificates]]
  certFile = "${front.certFile}"
  keyFile = "${front.keyFile}"
[[tls.certificates]]
  certFile = "${pgCert.certFile}"
  keyFile = "${pgCert.keyFile}"
`,
  );
  const env = isolatedEnv(dir, { CADDY_ADMIN: `127.0.0.1:${await freePort()}` });
  server = serveProxy(['run', '--adapter', 'traefik', '--config', dynamicFile, '--static', staticFile], env);
  // The seed's termination example as it is (no certificate, no service: a second file gives the echo service).
  const seedDir = path.join(dir, 'seed');
  fs.mkdirSync(path.join(seedDir, 'conf.d'), { recursive: true });
  fs.copyFileSync(
    path.join(root, 'packages/traefik/test/fixtures/seed/termination.toml'),
    path.join(seedDir, 'conf.d/seed.toml'),
  );
  fs.writeFileSync(
    path.join(seedDir, 'conf.d/service.yml'),
    `tcp:\n  services:\n    service-id:\n      loadBalancer:\n        servers: [{address: "127.0.0.1:${echoPort}"}]\n`,
  );
  seedPort = await freePort();
  fs.writeFileSync(path.join(seedDir, 'traefik.toml'), `[entryPoints.tcp]\n  address = "127.0.0.1:${seedPort}"\n`);
  seedServer = serveProxy(
    [
      'run',
      '--adapter',
      'traefik',
      '--config',
      path.join(seedDir, 'conf.d'),
      '--static',
      path.join(seedDir, 'traefik.toml'),
    ],
    isolatedEnv(seedDir, { CADDY_ADMIN: `127.0.0.1:${await freePort()}` }),
  );
  for (const p of [port, seedPort]) {
    await until(
      () =>
        new Promise<void>((resolve, reject) => {
          const s = net.connect(p, '127.0.0.1', () => {
            s.destroy();
            resolve();
          });
          s.on('error', reject);
        }),
    );
  }
});

afterAll(async () => {
  await Promise.all([server?.stop(), seedServer?.stop()]);
  await Promise.all([plainPg?.stop(), tlsPg?.stop()]);
  echo?.close();
  backTls?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});

/** openssl s_client with SNI; sends a line and reads until the server closes. */
function sClient(servername: string, to = port) {
  return exec('openssl', ['s_client', '-connect', `127.0.0.1:${to}`, '-servername', servername, '-ign_eof'], {
    input: 'ping\n',
    timeoutMs: 15_000,
  });
}

describe('proxy run --adapter traefik', () => {
  it('adapts the same files with proxy adapt', async () => {
    const r = await proxy(['adapt', '--adapter', 'traefik', '--config', dynamicFile, '--static', staticFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const config = JSON.parse(r.stdout) as { apps: { layer4: { servers: Record<string, { listen: string[] }> } } };
    expect(config.apps.layer4.servers['tcp']!.listen).toEqual([`127.0.0.1:${port}`]);
  });

  it('terminates TLS for a HostSNI router with the tls.certificates one and proxies the plaintext', async () => {
    const r = await sClient('front.example.com');
    expect(r.stdout).toMatch(/subject=CN ?= ?front\.example\.com/);
    expect(r.stdout).toContain('echo:ping');
  });

  it('passes TLS through: the upstream terminates it with its own certificate', async () => {
    const r = await sClient('back.example.com');
    expect(r.stdout).toMatch(/subject=CN ?= ?back\.example\.com/);
    expect(r.stdout).toContain('back:ping');
  });

  it("runs the seed's termination example as it is, with Traefik's fallback to a default certificate", async () => {
    // the local CA issues it once the config is loaded
    await seedServer.waitFor(/certificate obtained successfully/);
    const r = await sClient('foo-domain', seedPort);
    // no tls.certificates: the default certificate (from the local CA, for a reserved name) answers
    expect(r.stdout).toMatch(/issuer=CN ?= ?Caddy Local Authority/);
    expect(r.stdout).toContain('echo:ping');
  });

  it('sends plaintext to the non-TLS catch-all router, whose servers transport dials TLS', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1', () => c.write('plain'));
      let out = '';
      c.on('data', (d) => (out += d.toString()));
      c.on('close', () => resolve(out));
      c.on('error', reject);
      c.setTimeout(10_000, () => c.destroy(new Error('timeout')));
    });
    expect(got).toBe('back:plain');
  });

  it('with sniStrict, refuses a name no certificate matches; without, answers with the default certificate', async () => {
    // the default certificate exists, so only sniStrict can refuse
    await server.waitFor(/certificate obtained successfully/);
    const strict = await sClient('strict.example.com');
    expect(strict.stdout).not.toContain('echo:ping');
    expect(strict.stdout).not.toMatch(/subject=|issuer=/);
    const lenient = await sClient('lenient.example.com');
    expect(lenient.stdout).toMatch(/issuer=CN ?= ?Caddy Local Authority/);
    expect(lenient.stdout).toContain('echo:ping');
  });

  it('closes TLS connections that no router takes', async () => {
    const r = await sClient('nobody.example.com');
    expect(r.stdout).not.toContain('subject=');
    expect(r.stdout).not.toContain('ping');
  });

  it('serves Postgres STARTTLS with psql sslmode=require: terminated to a plaintext backend', async () => {
    const r = await psql(
      conninfo('pg.example.com', port, { sslmode: 'require' }),
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    expect(r.stderr).toBe('');
    // the backend sees no TLS: the proxy terminated it
    expect(r.stdout.trim()).toBe('f');
  });

  it('serves Postgres STARTTLS with psql sslmode=require: passed through to a TLS backend', async () => {
    const r = await psql(
      conninfo('pgtls.example.com', port, { sslmode: 'require' }),
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    expect(r.stderr).toBe('');
    // the backend itself holds the client's TLS session
    expect(r.stdout.trim()).toBe('t');
  });

  /** node-postgres with PostgreSQL 17's direct TLS (no SSLRequest; ALPN "postgresql" only). */
  const direct = (servername: string) =>
    new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      ssl: { rejectUnauthorized: false, servername },
      sslnegotiation: 'direct',
      connectionTimeoutMillis: 10_000,
    } as pg.ClientConfig);

  it('serves PostgreSQL 17 direct TLS (node-postgres) where the TLS options list ALPN postgresql', async () => {
    const client = direct('pg17.example.com');
    await client.connect();
    try {
      const res = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(res.rows[0].ssl).toBe(false);
      expect(
        (client as unknown as { connection: { stream: { alpnProtocol?: string } } }).connection.stream.alpnProtocol,
      ).toBe('postgresql');
    } finally {
      await client.end();
    }
  });

  it('refuses PostgreSQL 17 direct TLS with the default ALPN list (h2, http/1.1), as Traefik does', async () => {
    const client = direct('pg.example.com');
    client.on('error', () => {});
    await expect(client.connect()).rejects.toThrow(/no application protocol|ALPN/i);
    await client.end().catch(() => {});
  });
});

describe('entry point proxyProtocol and the ipAllowList middleware', () => {
  let pp: Server;
  let ppPort: number;
  let ppDir: string;
  let tagged: net.Server;

  beforeAll(async () => {
    ppDir = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-pp-'));
    // answers with the address the proxy's own PROXY header (sent upstream) says the client has
    tagged = net.createServer((s) => {
      s.on('error', () => s.destroy());
      s.once('data', (d) => s.end(`upstream got:${d.toString().split('\r\n')[0]}`));
    });
    const upstream = await listen(tagged);
    ppPort = await freePort();
    fs.writeFileSync(
      path.join(ppDir, 'traefik.yml'),
      `entryPoints:\n  tcp:\n    address: "127.0.0.1:${ppPort}"\n    proxyProtocol:\n      trustedIPs: ["127.0.0.1"]\n`,
    );
    fs.writeFileSync(
      path.join(ppDir, 'dynamic.yml'),
      [
        'tcp:',
        '  routers:',
        '    all:',
        '      rule: "HostSNI(`*`)"',
        '      middlewares: [lan]',
        '      service: s',
        '  middlewares:',
        '    lan:',
        '      ipAllowList:',
        '        sourceRange: ["10.0.0.0/8"]',
        '  services:',
        '    s:',
        '      loadBalancer:',
        '        proxyProtocol:',
        '          version: 1',
        `        servers: [{address: "127.0.0.1:${upstream}"}]`,
        '',
      ].join('\n'),
    );
    pp = serveProxy(
      [
        'run',
        '--adapter',
        'traefik',
        '--config',
        path.join(ppDir, 'dynamic.yml'),
        '--static',
        path.join(ppDir, 'traefik.yml'),
      ],
      isolatedEnv(ppDir, { CADDY_ADMIN: `127.0.0.1:${await freePort()}` }),
    );
    await until(
      () =>
        new Promise<void>((resolve, reject) => {
          const s = net.connect(ppPort, '127.0.0.1', () => {
            s.destroy();
            resolve();
          });
          s.on('error', reject);
        }),
    );
  });

  afterAll(async () => {
    await pp?.stop();
    tagged?.close();
    if (ppDir) fs.rmSync(ppDir, { recursive: true, force: true });
  });

  /** Sends `data` and reads until the proxy or the upstream closes. */
  const exchange = (data: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const s = net.connect(ppPort, '127.0.0.1', () => s.write(data));
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got));
      s.on('error', reject);
      s.setTimeout(10_000, () => s.destroy(new Error('timeout')));
    });

  it('takes the client address from a trusted PROXY header, lets the allowed range through, and sends its own', async () => {
    const got = await exchange('PROXY TCP4 10.1.2.3 127.0.0.1 5555 80\r\nhello');
    expect(got).toBe('upstream got:PROXY TCP4 10.1.2.3 127.0.0.1 5555 80');
  });

  it('closes connections from outside the allowed range', async () => {
    expect(await exchange('PROXY TCP4 192.168.1.1 127.0.0.1 5555 80\r\nhello')).toBe('');
    // no header: the loopback address itself, not in 10.0.0.0/8
    expect(await exchange('hello')).toBe('');
  });
});
