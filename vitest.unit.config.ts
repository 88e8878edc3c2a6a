import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:unit`: the parser's, the CLI's and the language server's tests, under a minute. Left to `pnpm test`: the runtime's and the
 * end-to-end tests (real sockets and peers), and format-differential (runs Debian's caddy binary hundreds of times).
 */
export default defineConfig({
  test: {
    include: [
      'packages/parser/test/**/*.test.ts',
      'packages/traefik/test/**/*.test.ts',
      'packages/cli/test/**/*.test.ts',
      'packages/lsp/test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'packages/parser/test/format-differential.test.ts'],
    // Parser tests keep no global state: one module graph per worker saves re-importing the parser per file.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
