/**
 * @module scripts/bundle-cli: bundles the built CLI into packages/cli/dist/bundle/: `main.js`, a small entry
 * (dist/bin.js) that turns on Node's compile cache, then the CLI with the parser for `adapt`/`fmt`, and a chunk
 * for the runtime commands, loaded only when they run. Resolving and loading ~300 modules one by one is most of
 * `proxy adapt`'s start-up; the bundle is the `proxy` bin. The versions of the CLI and of every package in the
 * bundle are written in (PROXY_BUILD_INFO, see packages/cli/src/build-meta.ts): the bundle then needs no
 * package.json at run time, which a single executable (scripts/build-binary.mjs) does not have.
 */
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'packages/cli/dist/bundle');

/** The CLI package and every package it depends on, transitively (name -> version). */
function buildInfo() {
  const cliDir = path.join(root, 'packages/cli');
  const main = JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8'));
  const deps = new Map();
  const visit = (dir, pkg) => {
    const req = createRequire(path.join(dir, 'package.json'));
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      let depDir;
      try {
        depDir = path.dirname(realpathSync(req.resolve(`${name}/package.json`)));
      } catch {
        // a package that does not export its package.json: find it on the node_modules path
        const found = req.resolve
          .paths(name)
          ?.map((p) => path.join(p, name))
          .find((p) => {
            try {
              readFileSync(path.join(p, 'package.json'));
              return true;
            } catch {
              return false;
            }
          });
        if (!found) continue;
        depDir = realpathSync(found);
      }
      const dep = JSON.parse(readFileSync(path.join(depDir, 'package.json'), 'utf8'));
      if (deps.has(dep.name)) continue;
      deps.set(dep.name, dep.version);
      visit(depDir, dep);
    }
  };
  visit(cliDir, main);
  return {
    main: { name: main.name, version: main.version },
    deps: [...deps].sort(([a], [b]) => a.localeCompare(b)).map(([name, version]) => ({ name, version })),
  };
}

rmSync(out, { recursive: true, force: true });
await build({
  input: path.join(root, 'packages/cli/dist/bin.js'),
  platform: 'node',
  transform: { define: { PROXY_BUILD_INFO: JSON.stringify(buildInfo()) } },
  output: { dir: out, format: 'esm', entryFileNames: 'main.js', chunkFileNames: '[name]-[hash].js' },
  logLevel: 'warn',
});
