/**
 * @module bench/scenarios/pgbench: scenario 4, pgbench -S (and -C) through the proxy's PostgreSQL STARTTLS
 * termination vs pgbouncer doing the same (client TLS, plaintext to the server, session pool), with TLS direct to
 * PostgreSQL as the ceiling.
 */
import { order, record, SETTINGS, startSystem } from '../lib/harness.js';
import { startPgbouncer } from '../lib/pgbouncer.js';
import { startPostgres } from '../lib/postgres.js';
import { cpuSeconds, runCommand } from '../lib/procs.js';

export const name = 'pgbench';
export const title = '4. pgbench through STARTTLS termination';
export const goals = [
  { scenario: 'pgbench', metric: 'TPS -S', peer: 'pgbouncer', cmp: '>=', factor: 1.0 },
  { scenario: 'pgbench', metric: 'middle-box cpu us/txn -S', peer: 'pgbouncer', cmp: '<=', factor: 1.0 },
];

const conninfo = (port) =>
  `host=bench.local hostaddr=127.0.0.1 port=${port} user=postgres dbname=postgres sslmode=require connect_timeout=10`;

async function pgbench(port, args, seconds) {
  const r = await runCommand('pgbench', ['-n', ...args, '-c', '8', '-j', '2', '-T', String(seconds), conninfo(port)], {
    timeoutMs: (seconds + 30) * 1000,
  });
  const tps = /tps = ([\d.]+) \((?:without initial connection time|including reconnection times)\)/.exec(r.stdout);
  const txns = /number of transactions actually processed: (\d+)/.exec(r.stdout);
  if (!tps || !txns) throw new Error(`pgbench failed (${r.code}): ${r.stderr.slice(-600)}${r.stdout.slice(-400)}`);
  return { tps: Number(tps[1]), txns: Number(txns[1]) };
}

export async function run(ctx) {
  const pg = await startPostgres(ctx.dir, ctx.tls);
  let proxy;
  let bouncer;
  try {
    const init = await runCommand('pgbench', ['-i', '-s', '1', '-q', conninfo(pg.port)], { timeoutMs: 120000 });
    if (init.code !== 0) throw new Error(`pgbench -i failed: ${init.stderr.slice(-600)}`);
    proxy = await startSystem(
      ctx,
      'proxy',
      { kind: 'pg-starttls', upstream: pg.port, sni: 'bench.local' },
      { workers: SETTINGS.cores },
    );
    bouncer = await startPgbouncer(ctx.dir, ctx.tls, pg.port);
    const targets = [
      { system: 'proxy', port: proxy.port, pid: proxy.proc.pid },
      { system: 'pgbouncer', port: bouncer.port, pid: bouncer.proc.pid },
      { system: 'postgres-direct', port: pg.port, pid: undefined },
    ];
    for (const t of targets) await pgbench(t.port, ['-S'], 1);
    for (let round = 0; round < SETTINGS.rounds; round++) {
      for (const t of order(targets, round)) {
        for (const [metric, args] of [
          ['TPS -S', ['-S']],
          ['TPS -S -C', ['-S', '-C']],
        ]) {
          const c0 = t.pid ? cpuSeconds(t.pid) : 0;
          const pgc0 = cpuSeconds(pg.proc.pid);
          const r = await pgbench(t.port, args, SETTINGS.seconds);
          const extra = { round, workers: t.system === 'proxy' ? proxy.workers : undefined };
          record(ctx, 'pgbench', t.system, metric, r.tps, 'TPS', extra);
          if (t.pid)
            record(
              ctx,
              'pgbench',
              t.system,
              `middle-box cpu us/txn ${args.join(' ')}`,
              ((cpuSeconds(t.pid) - c0) / r.txns) * 1e6,
              'us',
              extra,
            );
          record(
            ctx,
            'pgbench',
            t.system,
            `postgres cpu us/txn ${args.join(' ')}`,
            ((cpuSeconds(pg.proc.pid) - pgc0) / r.txns) * 1e6,
            'us',
            extra,
          );
        }
      }
    }
  } finally {
    await proxy?.proc.stop();
    await bouncer?.stop();
    await pg.stop();
  }
}
