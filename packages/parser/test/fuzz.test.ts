/** Property tests: the parser and formatter never throw, never hang, and every diagnostic has a valid range. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format, parse } from '@proxy/parser';
import { corpusCases } from '@proxy/parser/testing';
import { CADDYFILE_PIECES as pieces } from './support/caddyfile-pieces.js';

/** The Caddyfile half of every conformance case. */
const corpus = corpusCases().map((c) => c.caddyfile);

const caddyish = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((a) => a.join(''));

function checkInvariants(text: string): void {
  const lines = text.split('\n').length + 1;
  const { ast, diagnostics } = parse(text, { filename: 'Caddyfile', dir: '/nonexistent-dir', env: {} });
  expect(Array.isArray(ast.blocks)).toBe(true);
  for (const d of diagnostics) {
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.endLine).toBeGreaterThanOrEqual(d.line);
    if (d.file === 'Caddyfile') expect(d.line).toBeLessThanOrEqual(lines);
    if (d.endLine === d.line) expect(d.endColumn).toBeGreaterThanOrEqual(d.column);
  }
  expect(typeof format(text)).toBe('string');
}

describe('parser robustness (property)', () => {
  it('never throws on Caddyfile-like token soup', () => {
    fc.assert(fc.property(caddyish, checkInvariants), { numRuns: 1500, seed: 42 });
  });
  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), checkInvariants), { numRuns: 1000, seed: 7 });
  });
  it('never throws on mutated conformance Caddyfiles', () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(...corpus),
        fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 6 }),
      )
      .map(([text, edits]) => {
        let t = text;
        for (const [at, del, ins] of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + ins + t.slice(i + del);
        }
        return t;
      });
    fc.assert(fc.property(mutated, checkInvariants), { numRuns: 800, seed: 3 });
  });
  it('parses every conformance Caddyfile', () => {
    expect(corpus.length).toBeGreaterThan(200);
    for (const text of corpus) checkInvariants(text);
  });
  // That the work stays linear in these inputs is linear-work.test.ts; this checks the invariants (no stack overflow).
  it('keeps the invariants on deep nesting and long inputs', () => {
    const deep = 'a {\n' + 'b {\n'.repeat(2000) + '}\n'.repeat(2001);
    checkInvariants(deep);
    checkInvariants('x '.repeat(100_000));
    checkInvariants('{'.repeat(5000));
  });
});
