/**
 * @module scripts/build-binary: `pnpm build:binary`: dist/proxy, one executable file with Node and the CLI in it
 * (Node's single executable applications): the built CLI bundled into one CommonJS script (packages/cli/dist/sea.js
 * with every chunk inlined: the blob holds one script and nothing can be loaded from beside it), turned into a
 * blob by `node --experimental-sea-config`, injected into a copy of the Node binary with postject. The Node is the
 * one in .tools/ when there is one (Node 22), else the one running this script. Run `pnpm -s build` first.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'postject';
import { build } from 'rolldown';
import { buildInfo } from './build-info.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'dist/sea');
const out = path.join(root, 'dist/proxy');
const toolsNode = path.join(root, '.tools/bin/node');
const node = existsSync(toolsNode) ? toolsNode : process.execPath;

const entry = path.join(root, 'packages/cli/dist/sea.js');
if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm -s build\` first`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
await build({
  input: entry,
  platform: 'node',
  transform: { define: { PROXY_BUILD_INFO: JSON.stringify(buildInfo(root)) } },
  output: { file: path.join(work, 'proxy.cjs'), format: 'cjs', codeSplitting: false },
  logLevel: 'warn',
});

const blob = path.join(work, 'proxy.blob');
writeFileSync(
  path.join(work, 'sea-config.json'),
  JSON.stringify({ main: path.join(work, 'proxy.cjs'), output: blob, disableExperimentalSEAWarning: true }),
);
execFileSync(node, ['--experimental-sea-config', path.join(work, 'sea-config.json')], { stdio: 'inherit' });

rmSync(out, { force: true });
copyFileSync(node, out);
chmodSync(out, 0o755);
await inject(out, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
});
process.stderr.write(
  `build:binary: ${path.relative(process.cwd(), out)} (Node ${execFileSync(node, ['--version']).toString().trim()})\n`,
);
