/**
 * @module bench/ab-https: two builds of the proxy and Caddy on HTTPS `respond`, in turn, in one window (a noisy host
 * moves whole runs; alternating rounds cancel that). `AB_BEFORE=/other/bundle/main.js node bench/ab-https.js`
 * (AB_AFTER defaults to this checkout's bundle; MODE=allcores for two workers each, ROUNDS=N rounds of 3 s).
 * Prints medians of the server CPU per request, req/s and p99.
 */
import { BIN, createContext, order, startSystem, withCpu } from './lib/harness.js';
import { runCommand } from './lib/procs.js';
import { parseWrk } from './scenarios/https-respond.js';

const before = process.env.AB_BEFORE;
if (!before) throw new Error('AB_BEFORE=/path/to/other/build/main.js is required');
const bins = { before, after: process.env.AB_AFTER ?? BIN };
const mode = process.env.MODE ?? '1core';
const server = mode === '1core' ? { workers: 1, cpus: '0' } : { workers: 2, cpus: undefined };
const load = mode === '1core' ? { threads: 1, cpus: '1' } : { threads: 2, cpus: undefined };
const ctx = createContext();
const systems = [];
for (const [label, bin] of Object.entries(bins)) {
  // The harness reads PROXY_BENCH_BIN when it loads: one instance of it per build.
  process.env.PROXY_BENCH_BIN = bin;
  const h = await import(`./lib/harness.js?${label}`);
  systems.push({ ...(await h.startSystem(ctx, 'proxy', { kind: 'https-respond' }, server)), label });
}
delete process.env.PROXY_BENCH_BIN;
systems.push({ ...(await startSystem(ctx, 'caddy', { kind: 'https-respond' }, server)), label: 'caddy' });

const wrk = async (port, seconds) =>
  parseWrk(
    (
      await runCommand(
        'wrk',
        [`-t${load.threads}`, '-c64', `-d${seconds}s`, '--latency', `https://127.0.0.1:${port}/`],
        { cpus: load.cpus, timeoutMs: (seconds + 20) * 1000 },
      )
    ).stdout,
  );
const median = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};
try {
  for (const s of systems) await wrk(s.port, 1);
  const res = Object.fromEntries(systems.map((s) => [s.label, { cpu: [], rps: [], p99: [] }]));
  for (let round = 0; round < Number(process.env.ROUNDS ?? 6); round++)
    for (const s of order(systems, round)) {
      const r = await withCpu(s, () => wrk(s.port, 3));
      res[s.label].cpu.push((r.cpu / r.requests) * 1e6);
      res[s.label].rps.push(r.rps);
      res[s.label].p99.push(r.p99);
    }
  for (const [label, v] of Object.entries(res))
    console.log(
      `${mode} ${label.padEnd(7)} cpu us/req ${median(v.cpu).toFixed(1)} [${v.cpu.map((x) => x.toFixed(1)).join(' ')}]` +
        `  req/s ${median(v.rps).toFixed(0)}  p99 ${median(v.p99).toFixed(2)} ms`,
    );
} finally {
  await Promise.all(systems.map((s) => s.proc.stop()));
}
