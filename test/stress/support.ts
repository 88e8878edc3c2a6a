/**
 * @module stress/support: shared pieces of the stress tests: the short/long switch, figures, the real CLI in a
 * child process (with its RSS), file descriptor limits, and bounded waits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The real CLI entry point (built by `pnpm build`). */
export const CLI = path.join(here, '../../packages/cli/dist/main.js');

/** `STRESS=long` runs every stress test at full size; anything else (CI) a short version of each test. */
export const LONG = process.env['STRESS'] === 'long';

/** `short` in CI, `long` under `pnpm test:stress`. */
export function scale<T>(short: T, long: T): T {
  return LONG ? long : short;
}

/** Prints a test's figure on one line, e.g. `[stress] hostile-bytes: connections=100000 crashes=0`. */
export function figure(name: string, fields: Record<string, string | number | boolean>): void {
  const body = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`[stress${LONG ? ' long' : ''}] ${name}: ${body}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** MiB, one decimal. */
export const mib = (bytes: number): string => (bytes / 1048576).toFixed(1);

/** A temp dir removed by `removeDirs`. */
const dirs: string[] = [];
export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function removeDirs(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

function nofile(which: 'SOFT' | 'HARD'): number {
  const out = execFileSync('prlimit', ['--pid', String(process.pid), '--nofile', '--noheadings', `--output=${which}`])
    .toString()
    .trim();
  return out === 'unlimited' ? Infinity : Number(out);
}

/** The hard open-file limit (raising it needs CAP_SYS_RESOURCE, which containers often lack). */
export const NOFILE_HARD = nofile('HARD');

/**
 * Raises this process's soft open-file limit to `n` (at most the hard limit; prlimit on our own pid), so one
 * test process can hold thousands of sockets. Returns the soft limit in effect afterwards.
 */
export function raiseNofile(n: number): number {
  const want = Math.min(n, NOFILE_HARD);
  try {
    execFileSync(
      'prlimit',
      ['--pid', String(process.pid), `--nofile=${want}:${NOFILE_HARD === Infinity ? want : NOFILE_HARD}`],
      { stdio: 'ignore' },
    );
  } catch {
    /* keep what we have */
  }
  return nofile('SOFT');
}

/** Resident set size of a process in bytes (from /proc). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Open file descriptors of a process. */
export function fdsOf(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

export { freePort } from '../l4-support.js';

/** Resolves once something accepts TCP connections on the port (bounded). */
export async function waitForPort(port: number, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** `proxy run` in a child process. */
export interface ProxyProcess {
  child: ChildProcess;
  pid: number;
  file: string;
  /** Everything it wrote to stdout and stderr so far (the first 64 MiB). */
  logs(): string;
  rss(): number;
  /**
   * Runs a full garbage collection in the proxy (through the inspector, so only with `inspect: true`) and
   * returns its memory use afterwards: what is still referenced, as opposed to heap V8 has not given back.
   */
  gcMemory(): Promise<NodeJS.MemoryUsage>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** POSTs a config to the admin endpoint's /load; resolves with the HTTP status. */
  load(config: unknown): Promise<{ status: number; body: string }>;
  /** Sends a signal and waits (bounded) for the exit; resolves with the code and how long it took. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
}

const running = new Set<ProxyProcess>();

/** Kills every proxy a test started and did not stop (afterAll). */
export async function stopAllProxies(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

/**
 * Starts `proxy run --config FILE` (JSON, or a Caddyfile when `config` is a string) with a raised open-file
 * limit, and waits until every port in `waitPorts` accepts connections.
 */
export async function startProxy(
  config: unknown,
  opts: {
    waitPorts: number[];
    adminPort?: number;
    nofile?: number;
    env?: NodeJS.ProcessEnv;
    nodeArgs?: string[];
    inspect?: boolean;
  },
): Promise<ProxyProcess> {
  const dir = tempDir('stress-proxy-');
  const file = path.join(dir, typeof config === 'string' ? 'Caddyfile' : 'config.json');
  fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 1));
  const limit = Math.min(opts.nofile ?? 65536, NOFILE_HARD);
  const nodeArgs = [...(opts.nodeArgs ?? []), ...(opts.inspect ? ['--inspect=127.0.0.1:0'] : [])];
  const args = [
    `--nofile=${limit}:${NOFILE_HARD === Infinity ? limit : NOFILE_HARD}`,
    process.execPath,
    ...nodeArgs,
    CLI,
    'run',
    '--config',
    file,
  ];
  const child = spawn('prlimit', args, {
    env: { ...process.env, PROXY_DATA_DIR: path.join(dir, 'data'), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  const onData = (c: Buffer): void => {
    if (logs.length < 64 << 20) logs += c.toString();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const proc: ProxyProcess = {
    child,
    pid: child.pid!,
    file,
    logs: () => logs,
    rss: () => rssOf(child.pid!),
    gcMemory: () => {
      const url = /Debugger listening on (ws:\/\/\S+)/.exec(logs)?.[1];
      if (!url) return Promise.reject(new Error('start the proxy with inspect: true'));
      return inspectorGc(url);
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    async load(cfg) {
      const res = await fetch(`http://127.0.0.1:${opts.adminPort}/load`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(cfg),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, body: await res.text() };
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      running.delete(proc);
      const t0 = performance.now();
      if (proc.alive()) {
        child.kill(signal);
        const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(killer);
      }
      return { code: child.exitCode, ms: Math.round(performance.now() - t0) };
    },
  };
  running.add(proc);
  try {
    for (const p of opts.waitPorts) {
      if (!proc.alive()) break;
      await waitForPort(p);
    }
  } catch (e) {
    await proc.stop('SIGKILL');
    throw new Error(`proxy did not start: ${(e as Error).message}\n${logs}`);
  }
  if (!proc.alive()) throw new Error(`proxy exited at start:\n${logs}`);
  return proc;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(items);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items) }, worker));
  return out;
}

/** A summary of a process's TCP sockets by state and peer port (`ss`), for leak reports. */
export function socketSummary(pid: number): string {
  try {
    const out = execFileSync('ss', ['-tanpH', 'exclude', 'time-wait'], { maxBuffer: 256 << 20 })
      .toString()
      .split('\n')
      .filter((l) => l.includes(`pid=${pid},`));
    const counts = new Map<string, number>();
    for (const l of out) {
      const [state, , , local, peer] = l.trim().split(/\s+/);
      const k = `${state} ${local?.replace(/.*:/, 'l:')} ${peer?.replace(/.*:/, 'p:')}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const kinds = new Map<string, number>();
    for (const f of fs.readdirSync(`/proc/${pid}/fd`)) {
      let t = '?';
      try {
        t = fs
          .readlinkSync(`/proc/${pid}/fd/${f}`)
          .replace(/\[\d+\]$/, '')
          .replace(/^\/.*/, 'file');
      } catch {
        /* gone */
      }
      kinds.set(t, (kinds.get(t) ?? 0) + 1);
    }
    return (
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, n]) => `${n}x ${k}`)
        .join('; ') + ` | fds: ${[...kinds].map(([k, n]) => `${k}=${n}`).join(' ')}`
    );
  } catch (e) {
    return `ss failed: ${(e as Error).message}`;
  }
}

/** Collects garbage in a process through its inspector (Chrome DevTools Protocol) and reads process.memoryUsage(). */
function inspectorGc(url: string): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const t = setTimeout(() => {
      ws.close();
      reject(new Error('inspector did not answer'));
    }, 30_000);
    ws.onerror = () => {
      clearTimeout(t);
      reject(new Error('inspector connection failed'));
    };
    // One step at a time, each after the previous one answered. Not everything a collection finds dead is
    // gone when it returns: native handles (sockets, write requests) let go of their objects in weak callbacks
    // that the event loop runs afterwards, and array buffers are freed in the background. Two collections
    // sent at once both ran before that and counted the buffers of 2000 just-closed connections (~40 MiB) as
    // held; a pause and a second collection count what is really kept.
    const steps = [
      { method: 'HeapProfiler.collectGarbage' },
      {
        method: 'Runtime.evaluate',
        params: { expression: 'new Promise((r) => setTimeout(r, 100))', awaitPromise: true },
      },
      { method: 'HeapProfiler.collectGarbage' },
      {
        method: 'Runtime.evaluate',
        params: { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true },
      },
    ];
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, ...steps[0] }));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: { result?: { value?: string } } };
      if (msg.id === undefined) return;
      if (msg.id < steps.length) {
        ws.send(JSON.stringify({ id: msg.id + 1, ...steps[msg.id] }));
        return;
      }
      clearTimeout(t);
      ws.close();
      resolve(JSON.parse(msg.result?.result?.value ?? '{}') as NodeJS.MemoryUsage);
    };
  });
}
