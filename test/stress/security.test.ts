/**
 * @module stress/security: sslmode=require is never served in plaintext; a passthrough route
 * never decrypts (the proxy holds no key for it); SNI/Host mismatches are handled as Caddy does; the admin
 * API refuses non-loopback peers, foreign Host headers and cross-origin requests; client certificate
 * authentication rejects unknown CAs; and no secret (key, password, StartupMessage option) reaches the logs.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoServer, loadFiles, makeCert, SSL_REQUEST, startupMessage, type TestCert } from './fixtures.js';
import {
  figure,
  freePort,
  removeDirs,
  sleep,
  startProxy,
  stopAllProxies,
  tempDir,
  type ProxyProcess,
} from './support.js';
import { conninfo, psql, run, startPostgres, type PgCluster } from '../l4-support.js';
import { makeClientCa, readBytes, removeTempDirs } from '../../packages/runtime/test/layer4-support.js';

const PASSWORD = 'S3cr3t-p4ss-7Q9';
const STARTUP_SECRET = 'T0ken-in-startup-5K2';

let cert: TestCert;
let passCert: TestCert;
let goodCa: ReturnType<typeof makeClientCa>;
let badCa: ReturnType<typeof makeClientCa>;
let plainPg: PgCluster;
let tlsPg: PgCluster;
let echo: Awaited<ReturnType<typeof echoServer>>;
let proxy: ProxyProcess;
let p: { l4: number; plainonly: number; strict: number; lax: number; mtls: number; admin: number };
let configJson: Record<string, unknown>;
const found: string[] = [];

beforeAll(async () => {
  cert = makeCert(['a.example.com', 'b.example.com', 'mtls.example.com', 'www.example.com']);
  passCert = makeCert(['pass.example.com']);
  goodCa = makeClientCa();
  badCa = makeClientCa();
  [plainPg, tlsPg] = await Promise.all([
    startPostgres(),
    startPostgres({ certFile: passCert.certFile, keyFile: passCert.keyFile }),
  ]);
  echo = await echoServer();
  // a user who must send a cleartext password (it crosses the router in a PasswordMessage)
  const hba = path.join(plainPg.dir, 'data/pg_hba.conf');
  fs.writeFileSync(hba, `host all secretuser 127.0.0.1/32 password\n${fs.readFileSync(hba, 'utf8')}`);
  const setup = await psql(
    `host=127.0.0.1 port=${plainPg.port} user=postgres dbname=postgres`,
    `CREATE ROLE secretuser LOGIN PASSWORD '${PASSWORD}'; SELECT pg_reload_conf()`,
  );
  expect(setup.stderr).toBe('');
  p = {
    l4: await freePort(),
    plainonly: await freePort(),
    strict: await freePort(),
    lax: await freePort(),
    mtls: await freePort(),
    admin: await freePort(),
  };
  const proxyTo = (port: number) => ({ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${port}`] }] });
  const clientAuth = { trusted_ca_certs_pem_files: [goodCa.caFile] };
  const httpsServer = (port: number, extra: Record<string, unknown>) => ({
    listen: [`127.0.0.1:${port}`],
    automatic_https: { disable: true },
    tls_connection_policies: [{}],
    routes: [{ handle: [{ handler: 'static_response', body: 'host={http.request.host}' }] }],
    ...extra,
  });
  configJson = {
    admin: { listen: `127.0.0.1:${p.admin}` },
    // everything the proxy does, logged
    logging: { logs: { default: { level: 'DEBUG' } } },
    apps: {
      // pass.example.com's key is not here: only the PostgreSQL server behind the passthrough route has it
      tls: { certificates: { load_files: [loadFiles(cert)] } },
      layer4: {
        servers: {
          pg: {
            listen: [`127.0.0.1:${p.l4}`],
            routes: [
              { match: [{ postgres: { tls: 'enabled' } }], handle: [{ handler: 'postgres_tls' }] },
              { match: [{ tls: { sni: ['a.example.com'] } }], handle: [{ handler: 'tls' }, proxyTo(plainPg.port)] },
              { match: [{ tls: { sni: ['pass.example.com'] } }], handle: [proxyTo(tlsPg.port)] },
              {
                match: [{ tls: { sni: ['mtls.example.com'] } }],
                handle: [
                  { handler: 'tls', connection_policies: [{ client_authentication: clientAuth }] },
                  proxyTo(echo.port),
                ],
              },
              { match: [{ postgres: { user: { secretuser: [] } } }], handle: [proxyTo(plainPg.port)] },
            ],
          },
          plainonly: {
            listen: [`127.0.0.1:${p.plainonly}`],
            routes: [{ match: [{ postgres: { user: { postgres: [] } } }], handle: [proxyTo(plainPg.port)] }],
          },
        },
      },
      http: {
        servers: {
          strict: httpsServer(p.strict, { strict_sni_host: true }),
          lax: httpsServer(p.lax, {}),
          // client authentication and no strict_sni_host: Caddy turns strict SNI-Host matching on by itself
          mtls: httpsServer(p.mtls, { tls_connection_policies: [{ client_authentication: clientAuth }] }),
        },
      },
    },
  };
  proxy = await startProxy(configJson, { waitPorts: Object.values(p), adminPort: p.admin });
}, 120_000);

afterAll(async () => {
  await stopAllProxies();
  await Promise.all([plainPg?.stop(), tlsPg?.stop(), echo?.close()]);
  removeTempDirs();
  removeDirs();
  if (found.length) figure('security', { checks: found.join(',') });
});

describe('security: PostgreSQL TLS', () => {
  it('sslmode=require is never served in plaintext', async () => {
    // no TLS route at all: the SSLRequest is declined and libpq gives up rather than go on in plaintext
    const refused = await psql(conninfo('127.0.0.1', p.plainonly, { sslmode: 'require' }), 'SELECT 1');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('server does not support SSL');
    // a client that got 'S' and then speaks plaintext anyway gets nothing from the backend
    const s = net.connect(p.l4, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write(SSL_REQUEST);
    expect((await readBytes(s, 1)).toString()).toBe('S');
    s.write(startupMessage({ user: 'postgres', database: 'postgres' }));
    const after = await readBytes(s, 1, 5000);
    s.destroy();
    expect(after.includes(0x52)).toBe(false); // no 'R' (authentication) message from PostgreSQL
    // with TLS: verified against the proxy's certificate
    const ok = await psql(
      conninfo('a.example.com', p.l4, { sslmode: 'verify-full', sslrootcert: cert.certFile }),
      'SELECT 1',
    );
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('1');
    found.push('sslmode_require_plaintext=never');
  });

  it('a passthrough route never decrypts: the client sees the backend certificate, the proxy has no key for it', async () => {
    expect(JSON.stringify(configJson)).not.toContain(passCert.keyFile);
    const r = await psql(
      conninfo('pass.example.com', p.l4, { sslmode: 'verify-full', sslrootcert: passCert.certFile }),
      `SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('t'); // TLS ends at PostgreSQL itself
    // and with the proxy's CA instead, verification fails: it is not the proxy answering
    const wrong = await psql(
      conninfo('pass.example.com', p.l4, { sslmode: 'verify-full', sslrootcert: cert.certFile }),
      'SELECT 1',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/certificate verify failed/);
    found.push('passthrough_decrypts=never');
  });
});

function httpsGet(
  port: number,
  servername: string,
  host: string,
  extra: tls.ConnectionOptions = {},
): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const s = tls.connect({
      port,
      host: '127.0.0.1',
      servername,
      ca: cert.cert,
      ALPNProtocols: ['http/1.1'],
      ...extra,
    });
    let data = '';
    const t = setTimeout(() => {
      s.destroy();
      resolve({ error: 'timeout' });
    }, 10_000);
    s.on('secureConnect', () => s.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    s.on('data', (c: Buffer) => (data += c.toString()));
    s.on('error', (e) => {
      clearTimeout(t);
      resolve({ error: e.message });
    });
    s.on('close', () => {
      clearTimeout(t);
      const m = /^HTTP\/1\.1 (\d+)/.exec(data);
      resolve(
        m
          ? { status: Number(m[1]), body: data.split('\r\n\r\n').slice(1).join('') }
          : { error: `no response (${data.length} bytes)` },
      );
    });
  });
}

describe('security: SNI and Host', () => {
  it('strict_sni_host answers a mismatch with 421; without it the Host decides, as in Caddy', async () => {
    expect(await httpsGet(p.strict, 'a.example.com', 'a.example.com')).toMatchObject({ status: 200 });
    expect(await httpsGet(p.strict, 'a.example.com', 'b.example.com')).toMatchObject({ status: 421 });
    expect(await httpsGet(p.lax, 'a.example.com', 'b.example.com')).toMatchObject({ status: 200 });
    found.push('sni_host_mismatch=421');
  });

  it('with client authentication, strict SNI-Host matching is on by default', async () => {
    const client = { key: goodCa.clientKey, cert: goodCa.clientCert };
    expect(await httpsGet(p.mtls, 'mtls.example.com', 'mtls.example.com', client)).toMatchObject({ status: 200 });
    expect(await httpsGet(p.mtls, 'mtls.example.com', 'b.example.com', client)).toMatchObject({ status: 421 });
  });
});

describe('security: client certificates', () => {
  it('rejects unknown CAs and missing certificates (http app and layer4 tls handler)', async () => {
    const good = { key: goodCa.clientKey, cert: goodCa.clientCert };
    const bad = { key: badCa.clientKey, cert: badCa.clientCert };
    expect(await httpsGet(p.mtls, 'mtls.example.com', 'mtls.example.com', good)).toMatchObject({ status: 200 });
    const badRes = await httpsGet(p.mtls, 'mtls.example.com', 'mtls.example.com', bad);
    const noneRes = await httpsGet(p.mtls, 'mtls.example.com', 'mtls.example.com');
    console.log(
      `client auth refusals: unknown CA -> ${JSON.stringify(badRes)}, no certificate -> ${JSON.stringify(noneRes)}`,
    );
    // refused by the server, not left hanging
    expect(badRes).toHaveProperty('error');
    expect(badRes).not.toEqual({ error: 'timeout' });
    expect(noneRes).toHaveProperty('error');
    expect(noneRes).not.toEqual({ error: 'timeout' });
    const l4 = (opts: tls.ConnectionOptions) =>
      new Promise<boolean>((resolve) => {
        const s = tls.connect({
          port: p.l4,
          host: '127.0.0.1',
          servername: 'mtls.example.com',
          ca: cert.cert,
          ...opts,
        });
        const t = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, 10_000);
        let got = '';
        s.on('secureConnect', () => s.write('ping'));
        s.on('data', (c: Buffer) => {
          got += c.toString();
          if (got === 'ping') {
            clearTimeout(t);
            s.destroy();
            resolve(true);
          }
        });
        s.on('error', () => {
          clearTimeout(t);
          resolve(false);
        });
        s.on('close', () => {
          clearTimeout(t);
          resolve(got === 'ping');
        });
      });
    expect(await l4(good)).toBe(true);
    expect(await l4(bad)).toBe(false);
    expect(await l4({})).toBe(false);
    found.push('unknown_ca=rejected');
  });
});

describe('security: admin API', () => {
  const admin = (pathname: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<{ status: number; body: string }>((resolve) => {
      // raw HTTP, so that Host and Origin are exactly what a browser under attack would send
      const s = net.connect(p.admin, '127.0.0.1');
      const headers = { Host: `127.0.0.1:${p.admin}`, Connection: 'close', ...init.headers };
      const body = init.body ?? '';
      s.on('connect', () =>
        s.write(
          `${init.method ?? 'GET'} ${pathname} HTTP/1.1\r\n${Object.entries(headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('')}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        ),
      );
      let data = '';
      s.on('data', (c: Buffer) => (data += c.toString()));
      // a refusal may come before the body was read: the reset after it is fine, the status line counts
      s.on('error', () => undefined);
      s.on('close', () =>
        resolve({
          status: Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0),
          body: data.split('\r\n\r\n').slice(1).join(''),
        }),
      );
    });

  it('refuses cross-origin requests, foreign Host headers (DNS rebinding) and non-loopback peers', async () => {
    const evil = JSON.stringify({ apps: {} });
    const json = { 'Content-Type': 'application/json' };
    const tries = [
      await admin('/load', { method: 'POST', headers: { ...json, Origin: 'http://evil.example' }, body: evil }),
      await admin('/load', {
        method: 'POST',
        headers: { ...json, Origin: 'http://127.0.0.1.evil.example' },
        body: evil,
      }),
      await admin('/load', { method: 'POST', headers: { ...json, Origin: 'null' }, body: evil }),
      await admin('/load', { method: 'POST', headers: { ...json, Host: `evil.example:${p.admin}` }, body: evil }),
      await admin('/load', {
        method: 'POST',
        headers: { ...json, Host: `127.0.0.1.evil.example:${p.admin}` },
        body: evil,
      }),
      await admin('/config/', { headers: { Host: `evil.example:${p.admin}` } }),
    ];
    for (const t of tries) expect(t.status).toBe(403);
    // same-origin tools still work, and nothing above changed the config
    const cfg = await admin('/config/', {
      headers: { Origin: `http://localhost:${p.admin}`, Host: `localhost:${p.admin}` },
    });
    expect(cfg.status).toBe(200);
    expect(JSON.parse(cfg.body)).toEqual(JSON.parse(JSON.stringify(configJson)));
    // the endpoint is bound to loopback: another interface of this machine gets no answer
    const ext = Object.values((await import('node:os')).networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    let externalRefused = true;
    if (ext) {
      externalRefused = await new Promise<boolean>((resolve) => {
        const s = net.connect(p.admin, ext.address);
        s.on('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.on('error', () => resolve(true));
      });
    }
    expect(externalRefused).toBe(true);
    // and it cannot be configured onto a public address
    const dir = tempDir('stress-admin-');
    const file = path.join(dir, 'public-admin.json');
    fs.writeFileSync(file, JSON.stringify({ admin: { listen: `0.0.0.0:${await freePort()}` } }));
    const r = await run(
      process.execPath,
      [path.join(import.meta.dirname, '../../packages/cli/dist/main.js'), 'run', '--config', file],
      { timeoutMs: 20_000 },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/admin\.listen.*loopback/);
    figure('security admin', {
      refused_403: tries.length,
      external_interface_refused: externalRefused,
      public_listen_rejected: r.code !== 0,
    });
    found.push('admin_foreign=403');
  }, 60_000);
});

describe('security: secrets in logs', () => {
  it('keys, passwords and StartupMessage options never reach the logs (DEBUG level)', async () => {
    // a cleartext PasswordMessage and a secret in the StartupMessage options cross the router
    const r = await run(
      'psql',
      [
        '-X',
        '-At',
        '-d',
        `${conninfo('127.0.0.1', p.l4, { sslmode: 'disable', user: 'secretuser' })} options='-cmy.secret=${STARTUP_SECRET}'`,
        '-c',
        `SELECT current_setting('my.secret')`,
      ],
      { env: { PGPASSWORD: PASSWORD }, timeoutMs: 20_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(STARTUP_SECRET);
    // and a wrong password through TLS termination
    await psql(
      `${conninfo('a.example.com', p.l4, { sslmode: 'require', user: 'secretuser' })} password=${PASSWORD}-wrong`,
      'SELECT 1',
    );
    await sleep(500);
    const logs = proxy.logs();
    const keyBody = fs
      .readFileSync(cert.keyFile, 'utf8')
      .split('\n')
      .filter((l) => l.length > 40);
    const leaks = [
      logs.includes(PASSWORD) && 'password',
      logs.includes(STARTUP_SECRET) && 'startup option',
      logs.includes('PRIVATE KEY') && 'PEM key header',
      keyBody.some((l) => logs.includes(l)) && 'key material',
    ].filter(Boolean);
    figure('security logs', {
      log_bytes: logs.length,
      log_lines: logs.split('\n').length,
      leaks: leaks.length ? leaks.join('+') : 0,
    });
    expect(logs.length).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
    found.push('secrets_in_logs=0');
  }, 60_000);
});
