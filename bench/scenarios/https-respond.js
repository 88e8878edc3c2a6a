/** @module bench/scenarios/https-respond: scenario 1, HTTPS `respond "OK" 200` over keep-alive with wrk, on one server core and on every core. */
import { order, record, SETTINGS, startSystem, withCpu } from '../lib/harness.js';
import { runCommand } from '../lib/procs.js';
import { SYSTEMS } from '../lib/configs.js';

export const name = 'https';
export const title = '1. HTTPS respond (wrk, keep-alive)';

/** Goals: ratio = proxy / peer. */
export const goals = [
  { scenario: 'https-1core', metric: 'req/s', peer: 'caddy', cmp: '>=', factor: 1.2 },
  { scenario: 'https-1core', metric: 'cpu us/req', peer: 'caddy', cmp: '<=', factor: 0.8 },
  { scenario: 'https-1core', metric: 'p99 ms', peer: 'caddy', cmp: '<=', factor: 1.0 },
  { scenario: 'https-allcores', metric: 'req/s', peer: 'caddy', cmp: '>=', factor: 1.2 },
  { scenario: 'https-allcores', metric: 'p99 ms', peer: 'caddy', cmp: '<=', factor: 1.0 },
];

/** wrk's latency figures in ms. */
function ms(v, unit) {
  return Number(v) * ({ us: 1e-3, ms: 1, s: 1e3, m: 6e4 }[unit] ?? NaN);
}

export function parseWrk(text) {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)\b/.exec(text);
  const reqs = /(\d+) requests in/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  const sockErr = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  if (!rps || !reqs) throw new Error(`cannot read wrk output: ${text.slice(-500)}`);
  return {
    rps: Number(rps[1]),
    p99: p99 ? ms(p99[1], p99[2]) : NaN,
    requests: Number(reqs[1]),
    errors: (non2xx ? Number(non2xx[1]) : 0) + (sockErr ? sockErr.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
  };
}

async function wrk(port, seconds, threads, cpus) {
  const r = await runCommand(
    'wrk',
    [`-t${threads}`, '-c64', `-d${seconds}s`, '--latency', `https://127.0.0.1:${port}/`],
    { cpus, timeoutMs: (seconds + 20) * 1000 },
  );
  return parseWrk(r.stdout);
}

export async function run(ctx) {
  const cores = SETTINGS.cores;
  const modes = [
    { scenario: 'https-1core', workers: 1, serverCpus: '0', loadCpus: cores > 1 ? '1' : '0', threads: 1 },
    { scenario: 'https-allcores', workers: cores, serverCpus: undefined, loadCpus: undefined, threads: cores },
  ];
  for (const m of modes) {
    const systems = [];
    try {
      for (const s of SYSTEMS['https-respond'])
        systems.push(await startSystem(ctx, s, { kind: 'https-respond' }, { workers: m.workers, cpus: m.serverCpus }));
      for (const sys of systems) await wrk(sys.port, 1, m.threads, m.loadCpus); // warm-up (JIT, sessions)
      for (let round = 0; round < SETTINGS.rounds; round++) {
        for (const sys of order(systems, round)) {
          const r = await withCpu(sys, () => wrk(sys.port, SETTINGS.seconds, m.threads, m.loadCpus));
          const extra = { round, workers: sys.workers };
          record(ctx, m.scenario, sys.system, 'req/s', r.rps, 'req/s', extra);
          record(ctx, m.scenario, sys.system, 'p99 ms', r.p99, 'ms', extra);
          record(ctx, m.scenario, sys.system, 'cpu us/req', (r.cpu / r.requests) * 1e6, 'us', extra);
          if (r.errors) record(ctx, m.scenario, sys.system, 'errors', r.errors, 'count', extra);
        }
      }
    } finally {
      await Promise.all(systems.map((s) => s.proc.stop()));
    }
  }
}
