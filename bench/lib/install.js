/** @module bench/lib/install: installs Debian's caddy, haproxy, nginx (with the stream module), wrk and PostgreSQL when missing. */
import { existsSync, readFileSync } from 'node:fs';
import { have, runCommand } from './procs.js';

/** Debian packages each scenario needs, with the check that says it is there. */
const NEEDS = {
  https: [
    ['caddy', () => have('caddy')],
    ['nginx', () => have('nginx')],
    // Every nginx config of the harness loads the stream module (nginxHead).
    ['libnginx-mod-stream', () => existsSync('/usr/lib/nginx/modules/ngx_stream_module.so')],
    ['haproxy', () => have('haproxy')],
    ['wrk', () => have('wrk')],
  ],
  'tls-terminate': [
    ['nginx', () => have('nginx')],
    ['libnginx-mod-stream', () => existsSync('/usr/lib/nginx/modules/ngx_stream_module.so')],
    ['haproxy', () => have('haproxy')],
  ],
  'sni-passthrough': [
    ['nginx', () => have('nginx')],
    ['libnginx-mod-stream', () => existsSync('/usr/lib/nginx/modules/ngx_stream_module.so')],
    ['haproxy', () => have('haproxy')],
  ],
  pgbench: [
    ['postgresql', () => existsSync('/usr/lib/postgresql/15/bin/postgres')],
    ['postgresql-client', () => have('pgbench')],
    ['pgbouncer', () => existsSync('/usr/sbin/pgbouncer')],
  ],
  adapt: [['caddy', () => have('caddy')]],
  memory: [
    ['caddy', () => have('caddy')],
    ['nginx', () => have('nginx')],
    ['libnginx-mod-stream', () => existsSync('/usr/lib/nginx/modules/ngx_stream_module.so')],
  ],
  micro: [],
};
const ALWAYS = [
  ['openssl', () => have('openssl')],
  ['util-linux', () => have('taskset')],
];

export async function ensurePeers(scenarios) {
  const missing = new Set();
  for (const [pkg, ok] of [...ALWAYS, ...scenarios.flatMap((s) => NEEDS[s] ?? [])]) if (!ok()) missing.add(pkg);
  if (!missing.size) return;
  if (process.getuid?.() !== 0)
    throw new Error(`missing Debian packages (run as root to install them): ${[...missing].join(' ')}`);
  process.stderr.write(`bench: installing ${[...missing].join(' ')}\n`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const up = await runCommand('apt-get', ['update', '-qq'], { env, timeoutMs: 300000 });
  if (up.code !== 0) throw new Error(`apt-get update failed: ${up.stderr.slice(-500)}`);
  const r = await runCommand('apt-get', ['install', '-y', '-qq', ...missing], { env, timeoutMs: 600000 });
  if (r.code !== 0) throw new Error(`apt-get install failed: ${r.stderr.slice(-500)}`);
}

/** This process' RLIMIT_NOFILE soft limit (children inherit it). */
export function nofileLimit() {
  const m = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return m ? Number(m[1]) : 1024;
}
