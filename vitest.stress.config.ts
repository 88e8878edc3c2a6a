import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** `pnpm test:stress`: the stress tests at full size (STRESS=long), one file at a time. */
export default defineConfig({
  test: {
    // `proxy run` autosaves each config it loads (as Caddy does) to the config folder: not the user's.
    env: { PROXY_CONFIG_DIR: path.join(tmpdir(), 'proxy-tests-config') },
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
