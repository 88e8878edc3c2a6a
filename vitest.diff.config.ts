import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:diff`: the caddy-vs-proxy differential suite (test/diff). Scenarios run concurrently within the
 * one file, three at a time: each starts two servers, and CI machines have two cores.
 */
export default defineConfig({
  test: {
    // `proxy run` autosaves each config it loads (as Caddy does) to the config folder: not the user's.
    env: { PROXY_CONFIG_DIR: path.join(tmpdir(), 'proxy-tests-config') },
    include: ['test/diff/**/*.diff.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxConcurrency: 3,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
