import { describe, expect, it } from 'vitest';
import { loadTraefikCases, runTraefikCase } from './conformance-cases.js';

const cases = loadTraefikCases();

describe('Traefik conformance cases', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(10);
  });
  for (const c of cases) {
    it(`${c.name} (${c.format})`, () => {
      const { result, printed } = runTraefikCase(c);
      if (c.expected.startsWith('{')) {
        expect(result.errors.map((e) => e.message)).toEqual([]);
        expect(JSON.parse(printed)).toEqual(JSON.parse(c.expected));
        expect(printed).toBe(c.expected);
      } else {
        expect(result.config).toBeUndefined();
        expect(printed).toContain(c.expected);
      }
    });
  }
});
