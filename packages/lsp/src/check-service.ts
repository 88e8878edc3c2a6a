/**
 * @module check-service: what the checking worker does (see checker.ts): adapts a file, and validates the result
 * the way the runtime would load it when asked and given a validator (the CLI's worker entry passes the
 * runtime's, so provisioning a big config does not hold up the editor nor stay in its heap). The open files'
 * texts come with each request (an import reads the editor's copy); other files are read from disk.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { adapt } from '@proxy/parser';
import type { CheckRequest, CheckResponse } from './checker.js';
import type { ConfigValidator } from './workspace.js';

/** Answers check requests on this worker's port. */
export function serveChecks(validator?: ConfigValidator): void {
  parentPort?.on('message', (req: CheckRequest) => {
    void check(req, validator).then((res) => parentPort?.postMessage(res));
  });
}

async function check(req: CheckRequest, validator: ConfigValidator | undefined): Promise<CheckResponse> {
  const reads = new Set<string>();
  const readFile = (p: string): string => {
    reads.add(p);
    return req.open[p] ?? readFileSync(p, 'utf8');
  };
  try {
    const r = adapt(req.text, { filename: req.path, dir: req.dir, readFile });
    // The config goes as its JSON text: one string to copy, where the object graph of a big file is hundreds of
    // thousands of objects for the editor's thread to rebuild (and collect) after every check.
    const result = { errors: r.errors, warnings: r.warnings, parsed: r.parsed, ...(r.json ? { json: r.json } : {}) };
    const res: CheckResponse = { id: req.id, result, reads: [...reads] };
    if (req.validate && validator && r.config) {
      try {
        res.invalid = await validator(r.config);
      } catch (e) {
        res.invalid = [{ path: '', message: `validation failed: ${e instanceof Error ? e.message : String(e)}` }];
      }
    }
    return res;
  } catch (e) {
    return { id: req.id, failure: e instanceof Error ? e.message : String(e), reads: [] };
  }
}
