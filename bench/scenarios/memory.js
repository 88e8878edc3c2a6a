/** @module bench/scenarios/memory: scenario 6, RSS with ~10k idle TLS connections through the layer4 router (proxy, nginx) vs Caddy's HTTPS server holding the same. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { LIB, record, startSystem } from '../lib/harness.js';
import { rssMB, sleep } from '../lib/procs.js';

export const name = 'memory';
export const title = '6. RSS with idle TLS connections';
export const goals = [
  { scenario: 'memory', metric: 'RSS MB', peer: 'caddy', cmp: '<=', factor: 1.0 },
  { scenario: 'memory-https', metric: 'RSS MB', peer: 'caddy', cmp: '<=', factor: 1.0 },
];

/**
 * The connection count: 10k, unless the fd limit (the proxy holds 2 per connection, client and upstream, and the
 * harness cannot raise RLIMIT_NOFILE here) forces fewer; the count used is recorded.
 */
function connCount(limit) {
  return Math.min(10000, Math.floor((limit - 300) / 2));
}

/** Opens n idle connections with the loadgen; resolves { result, close } once all are up. */
function idle(port, n) {
  const child = spawn(
    process.execPath,
    [
      path.join(LIB, 'loadgen.js'),
      JSON.stringify({ mode: 'idle', port, servername: 'bench.local', conns: n, concurrency: 64 }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('idle connections: timed out'));
    }, 180000);
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) {
        clearTimeout(timer);
        resolve({
          result: JSON.parse(buf.split('\n')[0]),
          close: () =>
            new Promise((r) => {
              child.once('exit', r);
              child.stdin.end();
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`idle loadgen exited ${code}`));
    });
  });
}

export async function run(ctx, limit) {
  const n = connCount(limit);
  // `memory` is the figure: the proxy's layer4 TLS termination (two sockets per connection: the client's
  // and the upstream's) against Caddy's HTTPS server (one). `memory-https` is the same workload on both sides:
  // idle HTTPS connections to the proxy's HTTP server (Caddy's figures are recorded under both).
  const systems = [
    ['proxy', { kind: 'tls-terminate', upstream: ctx.upstreams.greet }, ['memory']],
    ['proxy', { kind: 'https-respond' }, ['memory-https']],
    ['caddy', { kind: 'https-respond' }, ['memory', 'memory-https']],
    ['nginx', { kind: 'tls-terminate', upstream: ctx.upstreams.greet }, ['memory']],
  ];
  for (const [system, d, scenarios] of systems) {
    const sys = await startSystem(ctx, system, d, { workers: 1 });
    try {
      const before = rssMB(sys.proc.pid);
      const conns = await idle(sys.port, n);
      await sleep(2000);
      const rss = rssMB(sys.proc.pid);
      const extra = { conns: conns.result.ready, failed: conns.result.failed, idleRssMB: before, workers: 1 };
      for (const scenario of scenarios) {
        record(ctx, scenario, system, 'RSS MB', rss, 'MB', extra);
        record(
          ctx,
          scenario,
          system,
          'KB/conn',
          ((rss - before) * 1024) / Math.max(1, conns.result.ready),
          'KB',
          extra,
        );
      }
      await conns.close();
    } finally {
      await sys.proc.stop();
    }
  }
}
