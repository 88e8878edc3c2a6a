/**
 * @module scripts/bundle-cli: bundles the built CLI into packages/cli/dist/bundle/: `main.js`, a small entry
 * (dist/bin.js) that turns on Node's compile cache, then the CLI with the parser for `adapt`/`fmt`, and a chunk
 * for the runtime commands, loaded only when they run. Resolving and loading ~300 modules one by one is most of
 * `proxy adapt`'s start-up; the bundle is the `proxy` bin. The versions of the CLI and of every package in the
 * bundle are written in (PROXY_BUILD_INFO, see packages/cli/src/build-meta.ts): the bundle then needs no
 * package.json at run time, which a single executable (scripts/build-binary.mjs) does not have.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { buildInfo } from './build-info.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'packages/cli/dist/bundle');

rmSync(out, { recursive: true, force: true });
await build({
  // The language server's whole-file checks run in a worker thread, which loads its own entry (next to the
  // chunk that starts it: see packages/lsp/src/checker.ts).
  input: {
    main: path.join(root, 'packages/cli/dist/bin.js'),
    'check-worker': path.join(root, 'packages/lsp/dist/check-worker.js'),
    // The same with the runtime's validation: what `proxy lsp` uses (packages/cli/src/commands/lsp-worker.ts).
    'lsp-worker': path.join(root, 'packages/cli/dist/commands/lsp-worker.js'),
    // `proxy lsp` runs the server in a thread of its own (packages/cli/src/commands/lsp.ts).
    'lsp-thread': path.join(root, 'packages/cli/dist/commands/lsp-thread.js'),
  },
  platform: 'node',
  transform: { define: { PROXY_BUILD_INFO: JSON.stringify(buildInfo(root)) } },
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  logLevel: 'warn',
});
