import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:diff`: the caddy-vs-proxy differential suite (test/diff). Scenarios run concurrently within the
 * one file, three at a time: each starts two servers, and CI machines have two cores.
 */
export default defineConfig({
  test: {
    include: ['test/diff/**/*.diff.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxConcurrency: 3,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
