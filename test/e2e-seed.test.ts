/**
 * @module e2e-seed: the headline, end to end through the real CLI. `proxy run --config Caddyfile` with the seed's
 * Caddyfile (names mapped to loopback, a STARTTLS route added for libpq 15) serves, on ONE port, HTTPS to curl and
 * PostgreSQL to psql 15 (STARTTLS, sslmode=require), node-postgres (PG17 direct TLS, ALPN postgresql) and pgbench,
 * all against a real PostgreSQL 15 started by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, psql, run, startPostgres, type PgCluster } from './l4-support.js';
import { seedCaddyfile as caddyfile } from './seed-caddyfile.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '../packages/cli/dist/main.js');
let pgc: PgCluster;
let dir: string;
let proxy: ChildProcess;
let port: number;
let rootCA: string;
let logs = '';

beforeAll(async () => {
  pgc = await startPostgres();
  dir = mkdtempSync(path.join(tmpdir(), 'e2e-seed-'));
  port = await freePort();
  const file = path.join(dir, 'Caddyfile');
  writeFileSync(file, caddyfile(pgc.port, port, await freePort()));
  proxy = spawn(process.execPath, [cli, 'run', '--config', file], {
    env: { ...process.env, PROXY_DATA_DIR: path.join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proxy.stdout!.on('data', (c: Buffer) => (logs += c.toString()));
  proxy.stderr!.on('data', (c: Buffer) => (logs += c.toString()));
  rootCA = path.join(dir, 'data/pki/authorities/local/root.crt');
  for (let i = 0; i < 200 && !(existsSync(rootCA) && /server running|serving/.test(logs)); i++) {
    if (proxy.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!existsSync(rootCA)) throw new Error(`proxy did not start:\n${logs}`);
}, 120_000);

afterAll(async () => {
  if (proxy && proxy.exitCode === null) {
    const exited = new Promise((r) => proxy.once('exit', r));
    proxy.kill('SIGTERM');
    const t = setTimeout(() => proxy.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
  await pgc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const conn = (extra: string) =>
  `host=pgsql.example.com hostaddr=127.0.0.1 port=${port} user=postgres dbname=postgres connect_timeout=10 ${extra}`;

describe('headline: HTTPS and PostgreSQL on one port via proxy run', () => {
  it('curl gets OK over HTTPS (HTTP/2) with the internal CA', async () => {
    const r = await run(
      'curl',
      [
        '-sS',
        '--http2',
        '--cacert',
        rootCA,
        '--resolve',
        `www.example.com:${port}:127.0.0.1`,
        '-w',
        ' %{http_version}',
        `https://www.example.com:${port}/`,
      ],
      { timeoutMs: 20_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('OK 2');
  });

  it('curl gets OK for the PostgreSQL server name too (its ALPN is h2/http1.1, so it falls through)', async () => {
    const r = await run(
      'curl',
      [
        '-sS',
        '--cacert',
        rootCA,
        '--resolve',
        `pgsql.example.com:${port}:127.0.0.1`,
        `https://pgsql.example.com:${port}/`,
      ],
      { timeoutMs: 20_000 },
    );
    expect(r.stdout).toBe('OK');
  });

  it('psql 15 with sslmode=require (STARTTLS) runs a query', async () => {
    const r = await psql(
      conn(`sslmode=verify-full sslrootcert=${rootCA}`),
      'SELECT 40 + 2, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    expect(r.stderr).toBe('');
    // The backend sees a plaintext connection: the proxy terminated TLS.
    expect(r.stdout.trim()).toBe('42|f');
  });

  it('node-postgres with sslnegotiation=direct (PG17 direct TLS, ALPN postgresql) runs a query', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      ssl: { ca: readFileSync(rootCA), servername: 'pgsql.example.com' },
      sslnegotiation: 'direct',
    } as pg.ClientConfig);
    await client.connect();
    try {
      const res = await client.query('SELECT 6 * 7 AS answer');
      expect(res.rows[0]).toEqual({ answer: 42 });
    } finally {
      await client.end();
    }
  });

  it('pgbench runs through it (STARTTLS)', async () => {
    const c = conn(`sslmode=require`);
    const init = await run('pgbench', ['-i', '-s', '1', '-q', c], { timeoutMs: 120_000 });
    expect(init.code, init.stderr).toBe(0);
    const bench = await run('pgbench', ['-S', '-c', '4', '-j', '2', '-t', '200', c], { timeoutMs: 120_000 });
    expect(bench.code, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/number of transactions actually processed: 800\/800/);
    expect(bench.stdout).toMatch(/number of failed transactions: 0 /);
    console.log(
      `pgbench through the proxy: ${/tps = ([\d.]+)/.exec(bench.stdout)?.[1]} tps (4 clients, select-only, STARTTLS)`,
    );
  });

  it('a plaintext StartupMessage with sslmode=disable is refused with a PostgreSQL error, not hung', async () => {
    const r = await psql(conn('sslmode=disable'), 'SELECT 1', 20_000);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
  });
});
