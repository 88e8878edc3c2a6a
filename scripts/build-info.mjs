/**
 * @module scripts/build-info: the versions a bundle embeds as PROXY_BUILD_INFO (packages/cli/src/build-meta.ts):
 * the CLI package and every package it depends on, transitively, as installed.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The folder of an installed package, seen from the package in `dir`. */
function packageDir(dir, name) {
  const req = createRequire(path.join(dir, 'package.json'));
  try {
    return path.dirname(realpathSync(req.resolve(`${name}/package.json`)));
  } catch {
    // a package that does not export its package.json: look for it on the node_modules path
    for (const p of req.resolve.paths(name) ?? []) {
      try {
        readFileSync(path.join(p, name, 'package.json'));
        return realpathSync(path.join(p, name));
      } catch {
        // not here
      }
    }
    return undefined;
  }
}

/** { main: { name, version }, deps: [{ name, version }] } for the CLI of the workspace at `root`. */
export function buildInfo(root) {
  const cliDir = path.join(root, 'packages/cli');
  const main = JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8'));
  const deps = new Map();
  const visit = (dir, pkg) => {
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      const depDir = packageDir(dir, name);
      if (!depDir) continue;
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
