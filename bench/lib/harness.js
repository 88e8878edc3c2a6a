/** @module bench/lib/harness: what every scenario shares: the temp dir and certificate, starting systems from a description, measuring a load's server CPU, and the results. */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCert } from './certs.js';
import { commandFor, configFor } from './configs.js';
import { cpuSeconds, freePort, runCommand, startProcess, waitPort } from './procs.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'packages/cli/dist/main.js');
/**
 * The `proxy` bin as installed (the bundle `pnpm build` makes; the tsc output when there is none), or
 * PROXY_BENCH_BIN (another build's main.js, for before/after runs in one window).
 */
export const BIN =
  process.env.PROXY_BENCH_BIN ??
  (existsSync(path.join(ROOT, 'packages/cli/dist/bundle/main.js'))
    ? path.join(ROOT, 'packages/cli/dist/bundle/main.js')
    : CLI);
export const LIB = path.dirname(fileURLToPath(import.meta.url));

/** Harness settings (env overrides keep the default run under 10 minutes). */
export const SETTINGS = {
  seconds: Number(process.env.BENCH_SECONDS ?? 3),
  rounds: Number(process.env.BENCH_ROUNDS ?? 4),
  cores: os.availableParallelism(),
};

/** The shared context: temp dir, certificate, proxy worker support. */
export function createContext() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proxy-bench-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as `postgres` below this dir
  const tls = makeCert(dir);
  let workers = false;
  try {
    workers = execFileSync(process.execPath, [BIN, 'run', '--help'], { encoding: 'utf8' }).includes('--workers');
  } catch {
    /* old cli */
  }
  return { dir, tls, proxyWorkers: workers, results: [], notes: [] };
}

/**
 * Starts `system` for description `d` (without port/dir/tls: filled in here). Options: workers, cpus (taskset list).
 * Returns { system, port, proc }.
 */
export async function startSystem(ctx, system, d, { workers = 1, cpus } = {}) {
  const port = await freePort();
  const sysDir = mkdtempSync(path.join(ctx.dir, `${system}-`));
  const effWorkers = system === 'proxy' && !ctx.proxyWorkers ? 1 : workers;
  const desc = { ...d, port, tls: ctx.tls, workers: effWorkers, dir: sysDir };
  const { file, text } = configFor(system, desc);
  const cfg = path.join(sysDir, file);
  writeFileSync(cfg, text);
  const { cmd, args, env } = commandFor(system, cfg, {
    node: process.execPath,
    cli: BIN,
    dir: sysDir,
    workers: effWorkers,
  });
  const proc = startProcess(system, cmd, args, { dir: sysDir, env, cpus });
  await waitPort(port, 20000, proc);
  return { system, port, proc, workers: effWorkers };
}

/** Runs load() while measuring the CPU seconds the server (and its children) used. */
export async function withCpu(sys, load) {
  const c0 = cpuSeconds(sys.proc.pid);
  const r = await load();
  const cpu = cpuSeconds(sys.proc.pid) - c0;
  return { ...r, cpu };
}

/** Runs the loadgen child with options; resolves its JSON result. */
export async function loadgen(opts, cpus) {
  const r = await runCommand(process.execPath, [path.join(LIB, 'loadgen.js'), JSON.stringify(opts)], {
    cpus,
    timeoutMs: (opts.seconds + 30) * 1000,
  });
  const line = r.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`loadgen failed (${r.code}): ${r.stderr.slice(-800)}`);
  }
}

/** The systems in alternating order: round 0 as given, round 1 reversed, ... (cancels drift). */
export function order(systems, round) {
  return round % 2 === 0 ? systems : [...systems].reverse();
}

/** Records one measurement. */
export function record(ctx, scenario, system, metric, value, unit, extra = {}) {
  ctx.results.push({ scenario, system, metric, value, unit, ...extra });
}

/** Mean of the values recorded for (scenario, system, metric) over the rounds. */
export function mean(xs) {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}
