/**
 * The worker behind linear-work.test.ts: counts the work of parse and format calls as V8's precise coverage sees
 * it (every function call and every block executed, loop bodies included), in a fresh isolate where the parser is
 * compiled only after counting is on, so all its functions carry block counters. workerData: a list of
 * `{ step: 'parse' | 'format' | 'control', text }`; posts back one count per job.
 */
import { Session } from 'node:inspector/promises';
import { parentPort, workerData } from 'node:worker_threads';

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
const parser = await import('@proxy/parser');

/** A quadratic loop: the control that shows the counter sees loop iterations, not just calls. */
function pairs(n) {
  let hits = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if ((i ^ j) === 1) hits++;
  return hits;
}

const PARSER_CODE = /packages\/(parser|contract)\/dist\/|chevrotain/;
const steps = {
  parse: [(text) => parser.parse(text, { filename: 'Caddyfile', env: {} }), PARSER_CODE],
  format: [(text) => parser.format(text), PARSER_CODE],
  control: [(text) => pairs(text.length), /work-counter\.mjs$/],
};

async function count({ step, text }) {
  const [run, scope] = steps[step];
  await session.post('Profiler.takePreciseCoverage'); // taking coverage resets the counters
  run(text);
  const { result } = await session.post('Profiler.takePreciseCoverage');
  let total = 0;
  for (const script of result) {
    if (!scope.test(script.url)) continue;
    for (const fn of script.functions) for (const range of fn.ranges) total += range.count;
  }
  return total;
}

const counts = [];
for (const job of workerData) counts.push(await count(job));
await session.post('Profiler.stopPreciseCoverage');
session.disconnect();
parentPort.postMessage(counts);
