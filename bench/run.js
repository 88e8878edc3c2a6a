#!/usr/bin/env node
/**
 * @module bench/run: `pnpm bench [scenario...]`: starts the proxy and its peers (Caddy, nginx, HAProxy, PostgreSQL) on
 * loopback with equivalent configs, loads them, stops everything it started, prints the table and writes it as JSON.
 * Scenarios: https, tls-terminate, sni-passthrough, pgbench, adapt, memory, micro (default: all).
 * Env: BENCH_SECONDS (per load, default 5), BENCH_ROUNDS (alternating rounds, default 2), BENCH_OUT (JSON path).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createContext, LIB, ROOT, SETTINGS } from './lib/harness.js';
import { ensurePeers } from './lib/install.js';
import { killOwned } from './lib/procs.js';
import { render, tableRows, verdicts } from './lib/report.js';
import * as https from './scenarios/https-respond.js';
import * as l4 from './scenarios/layer4-tls.js';
import * as pgbench from './scenarios/pgbench.js';
import * as adapt from './scenarios/adapt.js';
import * as memory from './scenarios/memory.js';
import * as micro from './scenarios/micro.js';
import { nofileLimit } from './lib/install.js';

const SCENARIOS = {
  https: { run: (ctx) => https.run(ctx), goals: https.goals },
  'tls-terminate': {
    run: (ctx) => l4.run(ctx, 'tls-terminate'),
    goals: l4.goals.filter((g) => g.scenario === 'tls-terminate'),
    upstreams: true,
  },
  'sni-passthrough': {
    run: (ctx) => l4.run(ctx, 'sni-passthrough'),
    goals: l4.goals.filter((g) => g.scenario === 'sni-passthrough'),
    upstreams: true,
  },
  pgbench: { run: (ctx) => pgbench.run(ctx), goals: pgbench.goals },
  adapt: { run: (ctx) => adapt.run(ctx), goals: adapt.goals },
  memory: { run: (ctx) => memory.run(ctx, nofileLimit()), goals: memory.goals, upstreams: true },
  micro: { run: (ctx) => micro.run(ctx), goals: micro.goals },
};

/** Starts the upstream servers (source/greet, TCP/TLS) and resolves their ports. */
function startUpstreams(ctx) {
  const child = spawn(process.execPath, [path.join(LIB, 'upstream.js'), ctx.tls.cert, ctx.tls.key], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n'))
        resolve({
          ports: JSON.parse(buf),
          stop: () => {
            child.kill('SIGTERM');
          },
        });
    });
    child.once('exit', (c) => reject(new Error(`upstream exited ${c}`)));
  });
}

async function main() {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const chosen = names.length ? names : Object.keys(SCENARIOS);
  for (const n of chosen)
    if (!SCENARIOS[n]) throw new Error(`unknown scenario "${n}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  if (!existsSync(path.join(ROOT, 'packages/cli/dist/main.js'))) throw new Error('build first: pnpm build');
  await ensurePeers(chosen);
  const ctx = createContext();
  const t0 = Date.now();
  let upstreams;
  const failures = [];
  const goals = chosen.flatMap((n) => SCENARIOS[n].goals);
  const out = process.env.BENCH_OUT ?? path.join(ROOT, 'bench', 'results', 'latest.json');
  /** Writes the JSON report (after every scenario too, so an interrupted run keeps what it measured). */
  const writeReport = () => {
    mkdirSync(path.dirname(out), { recursive: true });
    const report = {
      date: new Date().toISOString(),
      seconds: SETTINGS.seconds,
      rounds: SETTINGS.rounds,
      cores: SETTINGS.cores,
      proxyWorkers: ctx.proxyWorkers,
      durationSeconds: (Date.now() - t0) / 1000,
      rows: tableRows(ctx.results),
      goals: verdicts(ctx.results, goals),
      raw: ctx.results,
      notes: ctx.notes,
      failures,
    };
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    return report;
  };
  try {
    if (chosen.some((n) => SCENARIOS[n].upstreams)) {
      upstreams = await startUpstreams(ctx);
      ctx.upstreams = upstreams.ports;
    }
    for (const n of chosen) {
      const s0 = Date.now();
      process.stderr.write(`bench: ${n}...\n`);
      try {
        await SCENARIOS[n].run(ctx);
      } catch (e) {
        failures.push(`${n}: ${e.message}`);
        process.stderr.write(`bench: ${n} failed: ${e.stack}\n`);
      }
      process.stderr.write(`bench: ${n} took ${((Date.now() - s0) / 1000).toFixed(0)} s\n`);
      writeReport();
    }
  } finally {
    upstreams?.stop();
    killOwned();
  }
  const report = writeReport();
  process.stdout.write(`${render(ctx.results, goals)}\n\n`);
  for (const n of ctx.notes) process.stdout.write(`note: ${n}\n`);
  for (const f of failures) process.stdout.write(`FAILED ${f}\n`);
  process.stdout.write(`total ${report.durationSeconds.toFixed(0)} s; JSON: ${out}\n`);
  if (!process.env.BENCH_KEEP) rmSync(ctx.dir, { recursive: true, force: true });
  if (failures.length) process.exitCode = 1;
}

for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    killOwned();
    process.exit(130);
  });
main().catch((e) => {
  killOwned();
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 1;
});
