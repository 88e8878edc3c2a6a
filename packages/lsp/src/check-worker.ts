/**
 * @module check-worker: the whole-file check, run in a worker thread (see checker.ts). The open files' texts come
 * with each request (an import reads the editor's copy); other files are read from disk.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { adapt } from '@proxy/parser';
import type { CheckRequest, CheckResponse } from './checker.js';

parentPort?.on('message', (req: CheckRequest) => {
  const reads = new Set<string>();
  const readFile = (p: string): string => {
    reads.add(p);
    return req.open[p] ?? readFileSync(p, 'utf8');
  };
  let res: CheckResponse;
  try {
    const r = adapt(req.text, { filename: req.path, dir: req.dir, readFile });
    // Not `r` itself: its `json` is encoded when read, and posting would read it.
    const result = {
      errors: r.errors,
      warnings: r.warnings,
      parsed: r.parsed,
      ...(r.config ? { config: r.config } : {}),
    };
    res = { id: req.id, result, reads: [...reads] };
  } catch (e) {
    res = { id: req.id, failure: e instanceof Error ? e.message : String(e), reads: [] };
  }
  parentPort?.postMessage(res);
});
