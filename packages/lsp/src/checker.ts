/**
 * @module checker: whole-file checks in a worker thread that ends when idle.
 *
 * Adapting a big file churns through a few hundred megabytes of short-lived objects, and V8 keeps the pages it
 * grew to (pooled for reuse) for as long as the isolate lives: a server doing it on its main thread sits at that
 * peak for hours. Done in a worker that exits after a quiet spell, the memory goes back with it; and completion
 * and hover are not held up while a check runs.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { AdaptResult } from '@proxy/parser';
import type { ValidationProblem } from './workspace.js';

/** One whole-file check: the file, and the open files' texts by path. */
export interface CheckRequest {
  id: number;
  text: string;
  path: string;
  dir: string;
  open: Record<string, string>;
  /** Also validate the adapted config as the runtime would load it (when the worker has a validator). */
  validate?: boolean;
}

/** Its answer: the adaptation (without `json`) and the files it read, or why it failed. */
export interface CheckResponse {
  id: number;
  /** The adaptation, its config as JSON text (see check-service.ts). */
  result?: Omit<AdaptResult, 'config'>;
  reads: string[];
  failure?: string;
  /** The validation's problems, when asked for and the worker could validate. */
  invalid?: ValidationProblem[];
}

/** How long the worker waits for another check before it exits. */
const IDLE_MS = 2000;

export class Checker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (r: CheckResponse | undefined) => void>();
  private idle: NodeJS.Timeout | undefined;
  /** Set once the worker cannot be started: checks then run on the caller's thread. */
  private broken = false;

  /** The worker's script; by default the one built next to this module (made when first needed: see start). */
  constructor(private readonly script?: URL) {}

  /** Checks a file; undefined when no worker can do it (the caller checks on its own thread). */
  check(req: Omit<CheckRequest, 'id'>): Promise<CheckResponse | undefined> {
    const worker = this.start();
    if (!worker) return Promise.resolve(undefined);
    clearTimeout(this.idle);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ ...req, id } satisfies CheckRequest);
    });
  }

  /** Ends the worker now (the server is shutting down). */
  stop(): void {
    clearTimeout(this.idle);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker | undefined {
    if (this.worker || this.broken) return this.worker;
    try {
      // A single-file build (the single executable) has no worker script next to it, nor perhaps a module URL:
      // checks then run on the caller's thread.
      const script = this.script ?? new URL('./check-worker.js', import.meta.url);
      if (script.protocol !== 'file:' || !existsSync(script)) throw new Error('no worker script');
      const w = new Worker(script);
      w.unref();
      w.on('message', (res: CheckResponse) => {
        const done = this.pending.get(res.id);
        this.pending.delete(res.id);
        done?.(res);
        if (this.pending.size === 0) {
          clearTimeout(this.idle);
          this.idle = setTimeout(() => this.stop(), IDLE_MS);
          this.idle.unref();
        }
      });
      const fail = () => {
        if (this.worker === w) this.worker = undefined;
        for (const done of this.pending.values()) done(undefined);
        this.pending.clear();
      };
      w.on('error', () => {
        this.broken = true;
        fail();
      });
      w.on('exit', fail);
      this.worker = w;
      return w;
    } catch {
      this.broken = true;
      return undefined;
    }
  }
}
