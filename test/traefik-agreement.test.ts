/**
 * @module traefik-agreement: every config the Traefik adapter produces for its conformance cases passes the
 * runtime's validation (module IDs, fields, types, provisioning), except for the certificate files the cases name
 * but do not ship.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '@proxy/runtime';
import { loadTraefikCases, runTraefikCase } from '../packages/traefik/test/conformance-cases.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'traefik-agreement-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('Traefik adapter output is valid runtime config', () => {
  const cases = loadTraefikCases().filter((c) => c.expected.startsWith('{'));
  it('has cases to check', () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(c.name, async () => {
      const { result } = runTraefikCase(c);
      expect(result.config).toBeDefined();
      const errors = await validateConfig(result.config, { env: { ...process.env, PROXY_DATA_DIR: dataDir } });
      expect(
        errors.filter((e) => !/ENOENT|no such file/.test(e.message)).map((e) => `${e.path}: ${e.message}`),
      ).toEqual([]);
    });
  }
});
