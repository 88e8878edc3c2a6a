import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // `proxy run` autosaves each config it loads (as Caddy does) to the config folder: not the user's.
    env: { PROXY_CONFIG_DIR: path.join(tmpdir(), 'proxy-tests-config') },
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
