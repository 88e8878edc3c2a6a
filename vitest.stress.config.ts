import { defineConfig } from 'vitest/config';

/** `pnpm test:stress`: the stress tests at full size (STRESS=long), one file at a time. */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
