import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCases, runCase } from '@proxy/parser';

// The caddy/ cases of the shared conformance corpus. Two cases cannot pass here: they read ../caddy.ca.cer,
// a file from Caddy's repository that the corpus does not include. So this asserts a floor that only goes up
// (186 of 188 today).
const dir = process.env['CONFORMANCE_DIR'] ?? join(import.meta.dirname, '../../../../shared/conformance/caddy');
const FLOOR = 186;

describe.skipIf(!existsSync(dir))('conformance: caddy adapt cases', () => {
  const cases = loadCases(dir);
  const results = cases.map(runCase);
  it('loads the corpus', () => {
    expect(cases.length).toBeGreaterThan(150);
  });
  it(`passes at least ${FLOOR} cases semantically`, () => {
    const passed = results.filter((r) => r.semantic);
    expect(passed.length).toBeGreaterThanOrEqual(FLOOR);
  });
  it('prints every semantic pass byte-exactly', () => {
    const inexact = results.filter((r) => r.semantic && !r.exact).map((r) => r.name);
    expect(inexact).toEqual([]);
  });
  it('never crashes with an internal error', () => {
    const internal = results.filter((r) => (r.reason ?? '').includes('internal error')).map((r) => `${r.name}: ${r.reason}`);
    expect(internal).toEqual([]);
  });
});
