/** @module l4-support: a throwaway PostgreSQL 15 cluster for the layer4 end-to-end tests, and small process helpers. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  port: number;
  dir: string;
  stop(): Promise<void>;
  /** Stops the server (fast shutdown: sessions are cut), waits `downMs`, and starts it again on the same port. */
  restart(downMs?: number): Promise<void>;
}

/** The uid/gid to run PostgreSQL as: itself when not root, else the `postgres` user (initdb refuses root). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a "postgres" user to run PostgreSQL');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`). */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      {
        env: { ...process.env, ...opts.env },
        timeout: opts.timeoutMs ?? 30_000,
        uid: opts.uid,
        gid: opts.gid,
        maxBuffer: 16 << 20,
      },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown }) | null;
        const code = !e ? 0 : typeof e.code === 'number' ? e.code : 1;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/**
 * initdb in a temp dir and start postgres on a free loopback port (trust auth for 127.0.0.1). With `ssl`,
 * the server also accepts TLS using the given certificate files (copied into the cluster).
 */
export async function startPostgres(ssl?: { certFile: string; keyFile: string }, bin = PG_BIN): Promise<PgCluster> {
  const owner = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'l4-pg-'));
  const data = path.join(dir, 'data');
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const init = await run(`${bin}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...owner,
    timeoutMs: 60_000,
  });
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'fsync = off',
    `ssl = ${ssl ? 'on' : 'off'}`,
  ];
  if (ssl) {
    for (const [src, name] of [
      [ssl.certFile, 'server.crt'],
      [ssl.keyFile, 'server.key'],
    ] as const) {
      const dst = path.join(data, name);
      fs.copyFileSync(src, dst);
      fs.chmodSync(dst, 0o600);
      if (owner) fs.chownSync(dst, owner.uid, owner.gid);
    }
    conf.push(`ssl_cert_file = 'server.crt'`, `ssl_key_file = 'server.key'`);
  }
  fs.appendFileSync(path.join(data, 'postgresql.conf'), `\n${conf.join('\n')}\n`);
  let child!: ChildProcess;
  let log = '';
  let exited!: Promise<void>;
  const launch = (): void => {
    log = '';
    child = spawn(`${bin}/postgres`, ['-D', data], { ...owner, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const c = child;
    exited = new Promise<void>((r) => c.once('exit', () => r()));
  };
  const halt = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
  };
  const stop = async (): Promise<void> => {
    await halt();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const ready = async (): Promise<boolean> => {
    for (let i = 0; i < 200; i++) {
      if (log.includes('ready to accept connections')) return true;
      if (child.exitCode !== null) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };
  const restart = async (downMs = 0): Promise<void> => {
    await halt();
    await new Promise((r) => setTimeout(r, downMs));
    launch();
    if (!(await ready())) throw new Error(`postgres did not restart:\n${log}`);
  };
  launch();
  if (await ready()) return { port, dir, stop, restart };
  await stop();
  throw new Error(`postgres did not start:\n${log}`);
}

/** A libpq connection string through the router: `host` is only the SNI / name, `hostaddr` the loopback. */
export function conninfo(host: string, port: number, extra: Record<string, string> = {}): string {
  const parts = {
    host,
    hostaddr: '127.0.0.1',
    port: String(port),
    user: 'postgres',
    dbname: 'postgres',
    connect_timeout: '10',
    ...extra,
  };
  return Object.entries(parts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * PostgreSQL 17 binaries (client and server) if available: $PG17_BIN, or the folder
 * scripts/pg17.sh prints when it was run with DIR = $TMPDIR/pg17 (.ci/run runs it and sets PG17_BIN).
 */
export function pg17Bin(): string | undefined {
  const candidates = [process.env['PG17_BIN'], path.join(os.tmpdir(), 'pg17/root/usr/lib/postgresql/17/bin')];
  return candidates.find((d) => d !== undefined && d !== '' && fs.existsSync(path.join(d, 'psql')));
}

/** psql (15 unless `psqlPath` says otherwise) with a query; -X ignores psqlrc, -At unaligned tuples only. */
export function psql(connstr: string, sql: string, timeoutMs = 30_000, psqlPath = 'psql'): Promise<RunResult> {
  return run(psqlPath, ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-d', connstr, '-c', sql], { timeoutMs });
}

/**
 * Runs `SELECT pg_sleep(30)` with psql through the router, waits until the backend (on `backendPort`)
 * runs it, sends psql SIGINT (Ctrl-C: psql sends a CancelRequest on a new connection) and returns psql's
 * stderr once it exits (killed after 20s if the cancel never arrives).
 */
export async function cancelSleep(
  psqlPath: string,
  connstr: string,
  backendPort: number,
): Promise<{ running: boolean; stderr: string }> {
  const child = spawn(psqlPath, ['-X', '-d', connstr, '-c', 'SELECT pg_sleep(30)'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let running = false;
  for (let i = 0; i < 100 && !running; i++) {
    const r = await psql(
      `host=127.0.0.1 port=${backendPort} user=postgres dbname=postgres sslmode=disable`,
      `SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'`,
    );
    running = r.stdout.trim() === '1';
    if (!running) await new Promise((res) => setTimeout(res, 100));
  }
  child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(killer);
  return { running, stderr };
}
