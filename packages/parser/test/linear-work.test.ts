/**
 * The parser and formatter do work linear in their input on deep nesting, long lines and unclosed braces. Work is
 * counted, not timed: V8's precise coverage counts every function call and block executed in the parser's code
 * (support/work-counter.mjs, in a worker thread), so doubling an input must about double the count (a quadratic
 * step would quadruple it), whatever the machine's load.
 */
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';

type Step = 'parse' | 'format' | 'control';
interface Job {
  step: Step;
  text: string;
}

/** Runs the jobs in a fresh worker; resolves with one work count per job. */
function countWork(jobs: Job[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./support/work-counter.mjs', import.meta.url), { workerData: jobs });
    worker.once('message', (counts: number[]) => resolve(counts));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`work counter exited with ${code} before answering`)));
  });
}

/** Work for 2n over work for n: 2 when linear, 4 when quadratic; n log n stays well under this. */
const MAX_RATIO = 2.5;

const inputs: [string, (n: number) => string, number][] = [
  ['deep nesting', (n) => 'a {\n' + 'b {\n'.repeat(n) + '}\n'.repeat(n + 1), 1000],
  ['a long line', (n) => 'x '.repeat(n), 20_000],
  ['many lines', (n) => 'a\n'.repeat(n), 20_000],
  ['unclosed braces', (n) => '{'.repeat(n), 2000],
];
const cases = [
  {
    name: 'the counter sees a quadratic loop as quadratic',
    step: 'control' as Step,
    make: (n: number) => 'x'.repeat(n),
    n: 200,
  },
  ...inputs.flatMap(([name, make, n]) =>
    (['parse', 'format'] as const).map((step) => ({ name: `${step}: ${name}`, step: step as Step, make, n })),
  ),
];

describe('parser and formatter work is linear in the input', () => {
  const work = new Map<string, [number, number]>();
  beforeAll(async () => {
    const counts = await countWork(
      cases.flatMap((c) => [
        { step: c.step, text: c.make(c.n) },
        { step: c.step, text: c.make(2 * c.n) },
      ]),
    );
    cases.forEach((c, i) => work.set(c.name, [counts[2 * i]!, counts[2 * i + 1]!]));
  }, 120_000);

  for (const c of cases) {
    it(c.name, () => {
      const [once, twice] = work.get(c.name)!;
      expect(once, 'work was counted').toBeGreaterThan(c.n);
      if (c.step === 'control') expect(twice / once).toBeGreaterThan(3.5);
      else expect(twice / once).toBeLessThan(MAX_RATIO);
    });
  }
});
