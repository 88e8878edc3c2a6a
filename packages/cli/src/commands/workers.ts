/**
 * @module commands/workers: `proxy run --workers N`: a primary process that forks N workers (node:cluster), each
 * serving the whole config. Listening sockets are shared and the kernel hands each worker its own accepts
 * (SCHED_NONE: no round-robin through the primary, so it stays off the per-connection path).
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

/** The message a worker sends once its config is loaded and listening. */
export const READY = 'proxy:worker-ready';

/** How many workers `--workers` asks for ("auto" = one per core); 1 means no workers at all. */
export function parseWorkers(v: string | undefined): number {
  if (v === undefined) return 1;
  if (v === 'auto') return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new Error(`--workers: expected a whole number from 1 to 1024 or "auto", got "${v}"`);
  return n;
}

/** True in a process forked by runPrimary. */
export const isWorker = (): boolean => cluster.isWorker;

/** Tells the primary this worker is serving. */
export function signalReady(): void {
  process.send?.({ type: READY });
}

/** Lets a stopped worker exit (its IPC channel to the primary would keep it alive). */
export function workerDone(): void {
  if (cluster.isWorker) cluster.worker?.disconnect();
}

const log = (msg: string) => process.stderr.write(`proxy: ${msg}\n`);

/**
 * Forks n workers one after another (each waits for the previous one to be listening, so the first creates the
 * internal CA and certificates in the data dir and the others load them from there), keeps them running, and
 * stops them all on SIGINT/SIGTERM or when one fails to start. Resolves with the exit code.
 */
export function runPrimary(n: number): Promise<number> {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ silent: false });
  const workers = new Set<Worker>();
  let stopping = false;
  let restarts = 0;
  return new Promise<number>((resolve) => {
    let exitCode = 0;
    const stopAll = (code: number): void => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      for (const w of workers) w.process.kill('SIGTERM');
      // Workers stop within their grace period; a bounded wait, then force.
      const force = setTimeout(() => {
        for (const w of workers) w.process.kill('SIGKILL');
      }, 30_000);
      force.unref();
      if (workers.size === 0) resolve(exitCode);
    };
    const fork = (): Promise<boolean> =>
      new Promise((ready) => {
        const w = cluster.fork();
        workers.add(w);
        let up = false;
        w.on('message', (m: unknown) => {
          if ((m as { type?: unknown } | null)?.type === READY && !up) {
            up = true;
            ready(true);
          }
        });
        w.once('exit', (code, signal) => {
          workers.delete(w);
          if (!up) ready(false);
          if (stopping) {
            if (workers.size === 0) resolve(exitCode);
            return;
          }
          if (!up) return; // a start failure: the caller stops everything
          // A serving worker died: replace it (bounded, so a crash loop ends the server).
          log(
            `worker ${w.process.pid} exited (${signal ?? code}); ${restarts < 10 ? 'starting another' : 'too many restarts, stopping'}`,
          );
          if (restarts++ < 10) void fork();
          else stopAll(1);
        });
      });
    const onSignal = (): void => stopAll(0);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void (async () => {
      for (let i = 0; i < n && !stopping; i++) {
        if (!(await fork())) {
          log('a worker failed to start; stopping');
          stopAll(1);
          return;
        }
      }
    })();
  });
}
