import { describe, expect, it } from 'vitest';
import { corpusCases, runCase } from '@proxy/parser/testing';

// Every case of the conformance corpus (Caddy's and caddy-l4's Caddyfile -> JSON cases), as `pnpm conformance`
// runs them. The count is that of the in-repo copy: a refresh that brings new cases updates it here.
const KNOWN_CASES = 223;

describe('conformance: Caddyfile -> JSON cases', () => {
  const cases = corpusCases();
  const results = cases.map(runCase);
  it.skipIf(process.env['CONFORMANCE_DIR'] !== undefined)(
    `loads all ${KNOWN_CASES} cases of the in-repo corpus`,
    () => {
      expect(cases.length).toBe(KNOWN_CASES);
    },
  );
  it('loads cases of both folders', () => {
    const folders = new Set(cases.map((c) => c.dir.split(/[\\/]/).pop()));
    expect([...folders].sort()).toEqual(['caddy', 'layer4']);
  });
  it('passes every case semantically', () => {
    const failed = results.filter((r) => !r.semantic).map((r) => `${r.name}: ${r.reason ?? ''}`);
    expect(failed).toEqual([]);
  });
  it('prints every semantic pass byte-exactly', () => {
    const inexact = results.filter((r) => r.semantic && !r.exact).map((r) => r.name);
    expect(inexact).toEqual([]);
  });
});
