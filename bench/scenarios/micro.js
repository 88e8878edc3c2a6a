/** @module bench/scenarios/micro: parser and adapter alone on the conformance corpus (ops/s, in-process), for profiling (`node --cpu-prof bench/run.js micro`). */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { record, ROOT } from '../lib/harness.js';

export const name = 'micro';
export const title = 'micro: parse / adapt the conformance corpus';
export const goals = [];

export async function run(ctx) {
  const parser = await import(pathToFileURL(path.join(ROOT, 'packages/parser/dist/index.js')).href);
  const testing = await import(pathToFileURL(path.join(ROOT, 'packages/parser/dist/testing.js')).href);
  // The in-repo corpus, or $CONFORMANCE_DIR.
  const cases = testing.corpusCases();
  const opts = (c) => ({ filename: 'Caddyfile', dir: c.dir });
  const bytes = cases.reduce((a, c) => a + c.caddyfile.length, 0);
  for (const [metric, fn] of [
    ['parse corpus/s', (c) => parser.parse(c.caddyfile, opts(c))],
    ['adapt corpus/s', (c) => parser.adapt(c.caddyfile, opts(c))],
  ]) {
    for (const c of cases) fn(c); // warm-up
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) {
      for (const c of cases) fn(c);
      n++;
    }
    const secs = (performance.now() - t0) / 1000;
    record(ctx, 'micro', 'proxy', metric, n / secs, 'ops/s', {
      cases: cases.length,
      corpusKB: Math.round(bytes / 1024),
      MBps: (n * bytes) / 1e6 / secs,
    });
  }
}
