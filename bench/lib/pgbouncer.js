/** @module bench/lib/pgbouncer: Debian's pgbouncer as the native TLS-terminating peer in front of PostgreSQL. */
import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, sleep, startProcess, waitPort } from './procs.js';

/** The `postgres` user's ids when the harness runs as root (pgbouncer refuses to run as root). */
function owner() {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a "postgres" user to run pgbouncer');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * What a user puts in front of PostgreSQL for TLS termination: clients speak TLS to pgbouncer
 * (`client_tls_sslmode=require`, the same certificate and key exchange as the proxy), pgbouncer speaks plaintext
 * to the server (`server_tls_sslmode=disable`), session pooling (a server connection per client session, as the
 * proxy's one upstream connection per client).
 * @returns {Promise<{port: number, proc: ReturnType<typeof startProcess>, stop: () => Promise<void>}>}
 */
export async function startPgbouncer(dir, tls, upstreamPort) {
  const who = owner();
  const root = path.join(dir, 'pgbouncer');
  mkdirSync(root, { recursive: true });
  const port = await freePort();
  const files = { cert: path.join(root, 'server.crt'), key: path.join(root, 'server.key') };
  copyFileSync(tls.cert, files.cert);
  copyFileSync(tls.key, files.key);
  chmodSync(files.key, 0o600);
  writeFileSync(path.join(root, 'userlist.txt'), '"postgres" ""\n');
  writeFileSync(
    path.join(root, 'pgbouncer.ini'),
    [
      '[databases]',
      `postgres = host=127.0.0.1 port=${upstreamPort} dbname=postgres`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      "unix_socket_dir = ''",
      'auth_type = trust',
      `auth_file = ${path.join(root, 'userlist.txt')}`,
      'pool_mode = session',
      'max_client_conn = 200',
      'default_pool_size = 50',
      'ignore_startup_parameters = extra_float_digits',
      'client_tls_sslmode = require',
      `client_tls_cert_file = ${files.cert}`,
      `client_tls_key_file = ${files.key}`,
      // pgbouncer 1.18 takes one NIST curve name or `auto`; `auto` leaves OpenSSL 3.0's default groups, which
      // start with X25519 (what libpq offers first), the key exchange every system here uses.
      'client_tls_ecdhcurve = auto',
      'server_tls_sslmode = disable',
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
  );
  if (who.uid !== undefined)
    for (const f of [root, files.cert, files.key, path.join(root, 'userlist.txt'), path.join(root, 'pgbouncer.ini')])
      chownSync(f, who.uid, who.gid);
  const proc = startProcess('pgbouncer', '/usr/sbin/pgbouncer', [path.join(root, 'pgbouncer.ini')], {
    dir: root,
    ...who,
  });
  try {
    await waitPort(port, 15000, proc);
  } catch (err) {
    await proc.stop(0);
    throw new Error(`pgbouncer did not start: ${proc.tail()} (${err.message})`);
  }
  await sleep(50);
  return { port, proc, stop: () => proc.stop() };
}
