/** @module bench/lib/postgres: a throwaway PostgreSQL 15 cluster with ssl on (the harness' own, stopped by PID). */
import { appendFileSync, chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, runCommand, sleep, startProcess } from './procs.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** The `postgres` user when the harness runs as root (initdb refuses root). */
function owner() {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a "postgres" user to run PostgreSQL');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** initdb + start with TLS (cert/key copied in), trust auth on 127.0.0.1. Returns { port, proc, stop }. */
export async function startPostgres(dir, tls) {
  const who = owner();
  const root = path.join(dir, 'pg');
  mkdirSync(root, { recursive: true });
  if (who.uid !== undefined) chownSync(root, who.uid, who.gid);
  const data = path.join(root, 'data');
  const init = await runCommand(
    `${PG_BIN}/initdb`,
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    { ...who, timeoutMs: 60000 },
  );
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  for (const [src, name] of [
    [tls.cert, 'server.crt'],
    [tls.key, 'server.key'],
  ]) {
    const dst = path.join(data, name);
    copyFileSync(src, dst);
    chmodSync(dst, 0o600);
    if (who.uid !== undefined) chownSync(dst, who.uid, who.gid);
  }
  appendFileSync(
    path.join(data, 'postgresql.conf'),
    [
      '',
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${root}'`,
      'fsync = off',
      'synchronous_commit = off',
      'max_connections = 200',
      'ssl = on',
      `ssl_cert_file = 'server.crt'`,
      `ssl_key_file = 'server.key'`,
      '',
    ].join('\n'),
  );
  const proc = startProcess('postgres', `${PG_BIN}/postgres`, ['-D', data], { dir: root, ...who });
  for (let i = 0; i < 300; i++) {
    if (proc.tail().includes('ready to accept connections')) return { port, proc, stop: () => stopPg(proc) };
    if (proc.exitCode !== null) break;
    await sleep(100);
  }
  await stopPg(proc);
  throw new Error(`postgres did not start: ${proc.tail()}`);
}

/** SIGINT is PostgreSQL's fast shutdown. */
async function stopPg(proc) {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.child.once('exit', r));
  try {
    process.kill(proc.pid, 'SIGINT');
  } catch {
    /* gone */
  }
  const t = setTimeout(() => proc.stop(0), 10000);
  await exited;
  clearTimeout(t);
}
