/**
 * @module stress/fuzz: the parser and adapter on random and mutated conformance Caddyfiles:
 * `adapt` never throws, never reports an internal error, finishes each input within a bound, and every error
 * it reports has a valid line:column inside the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adapt, type Diagnostic } from '@proxy/parser';
import { corpusCases } from '@proxy/parser/testing';
import { CADDYFILE_PIECES as pieces } from '../../packages/parser/test/support/caddyfile-pieces.js';
import { figure, LONG, scale } from './support.js';

/** No single input may take longer than this (a hang or a blow-up; typical inputs take well under 1 ms). */
const PER_INPUT_BOUND_MS = 2000;

/** The Caddyfile half of every conformance case. */
const files = corpusCases().map((c) => c.caddyfile);
/** Every whitespace-separated word of the corpus: mutations splice real directive names, matchers and values in. */
const words = [...new Set(files.flatMap((f) => f.split(/\s+/)).filter((w) => w.length > 0 && w.length < 80))];

let tried = 0;
let withErrors = 0;
let maxMs = 0;
/** Inputs that ran past the bound once but not when run again (the machine stalled, not the parser). */
let stalls = 0;

function lineCount(text: string): number {
  return text.split('\n').length;
}

function timedAdapt(text: string): { errors: Diagnostic[]; ms: number } {
  const t0 = performance.now();
  try {
    const { errors } = adapt(text, {
      filename: 'Caddyfile',
      dir: '/nonexistent-dir',
      env: {},
      readFile: () => {
        throw new Error('no imports in fuzzing');
      },
    });
    return { errors, ms: performance.now() - t0 };
  } catch (e) {
    throw new Error(`adapt threw on ${JSON.stringify(text.slice(0, 400))}: ${(e as Error).stack}`);
  }
}

/** The invariants every input must keep. */
function check(text: string): void {
  let { errors, ms } = timedAdapt(text);
  tried++;
  if (ms > PER_INPUT_BOUND_MS) {
    // On a shared machine a GC pause or a descheduled process can stall one run: only an input that is
    // slow every time is a hang or a blow-up.
    ms = Math.min(...[0, 1, 2].map(() => timedAdapt(text).ms));
    if (ms > PER_INPUT_BOUND_MS)
      throw new Error(`adapt took ${ms.toFixed(0)} ms (three times) on ${JSON.stringify(text.slice(0, 400))}`);
    stalls++;
  }
  if (ms > maxMs) maxMs = ms;
  if (errors.length > 0) withErrors++;
  const lines = lineCount(text);
  for (const d of errors) {
    const where = `${d.file}:${d.line}:${d.column} "${d.message}" for ${JSON.stringify(text.slice(0, 400))}`;
    if (d.message.startsWith('internal error')) throw new Error(`internal error: ${where}`);
    if (!(d.message.length > 0)) throw new Error(`empty message: ${where}`);
    if (!(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1))
      throw new Error(`bad position: ${where}`);
    if (d.file === 'Caddyfile' && d.line > lines + 1) throw new Error(`line past the end (${lines} lines): ${where}`);
    if (d.endLine < d.line || (d.endLine === d.line && d.endColumn < d.column))
      throw new Error(`bad range end: ${where}`);
  }
}

/** A conformance Caddyfile with random character-level and word-level edits. */
const mutated = fc
  .tuple(
    fc.constantFrom(...files),
    fc.array(
      fc.oneof(
        fc.tuple(fc.constant(0), fc.nat(), fc.nat(12), fc.constantFrom(...pieces)),
        fc.tuple(fc.constant(1), fc.nat(), fc.nat(40), fc.constantFrom(...words)),
        fc.tuple(fc.constant(2), fc.nat(), fc.nat(400), fc.constant('')),
      ),
      { minLength: 1, maxLength: 8 },
    ),
  )
  .map(([text, edits]) => {
    let t = text;
    for (const [kind, at, n, ins] of edits) {
      const i = at % (t.length + 1);
      if (kind === 2) {
        // duplicate a slice somewhere else (blocks repeated, braces doubled)
        t = t.slice(0, i) + t.slice(i, i + n) + t.slice(i);
      } else {
        t = t.slice(0, i) + (kind === 1 ? ` ${ins} ` : ins) + t.slice(i + n);
      }
    }
    return t;
  });

/** Lines of different conformance files shuffled together (a site block from one, directives from another). */
const spliced = fc
  .array(fc.tuple(fc.constantFrom(...files), fc.nat(), fc.nat(30)), { minLength: 1, maxLength: 6 })
  .map((parts) =>
    parts
      .map(([f, at, n]) => {
        const ls = f.split('\n');
        const i = at % ls.length;
        return ls.slice(i, i + n).join('\n');
      })
      .join('\n'),
  );

const soup = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom(...words)), { maxLength: 80 })
  .map((a) => a.join(' '));
const random = fc.string({ maxLength: 300, unit: 'binary' });

describe('fuzz: parser and adapter', () => {
  const total = scale(20_000, 1_000_000);
  const seed = LONG ? Date.now() % 1_000_000 : 8;
  const shares: Array<[string, fc.Arbitrary<string>, number]> = [
    ['mutated conformance', mutated, 0.55],
    ['spliced conformance', spliced, 0.15],
    ['token soup', soup, 0.15],
    ['random strings', random, 0.15],
  ];

  it('the corpus itself adapts within the invariants', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) check(f);
  });

  for (const [name, arb, share] of shares) {
    it(
      `${name}: no throw, no hang, every error at a valid line:column`,
      () => {
        const before = tried;
        const errBefore = withErrors;
        fc.assert(
          fc.property(arb, (t) => {
            check(t);
          }),
          { numRuns: Math.round(total * share), seed, endOnFailure: true },
        );
        figure(`fuzz ${name}`, { inputs: tried - before, with_errors: withErrors - errBefore, seed, failures: 0 });
      },
      LONG ? 3_600_000 : 120_000,
    );
  }

  it('prints the totals', () => {
    figure('fuzz total', { inputs: tried, max_ms_per_input: maxMs.toFixed(1), stalls_rerun: stalls, failures: 0 });
    expect(tried).toBeGreaterThanOrEqual(total);
  });
});
