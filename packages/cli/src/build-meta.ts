/**
 * @module build-meta: the versions `proxy version`, `build-info` and `list-modules --versions` print. The bundle
 * (scripts/bundle-cli.mjs) writes them in as PROXY_BUILD_INFO, so that a single executable, which has no
 * package.json files next to it, knows them; unbundled (tests), they are read from the package.json files.
 */
import { readFileSync } from 'node:fs';

/** What the CLI was built from: its own package, the workspace packages and their dependencies. */
export interface BuildInfo {
  /** The CLI package's name and version. */
  main: { name: string; version: string };
  /** Every package the CLI uses (workspace packages and their npm dependencies), with its version. */
  deps: Array<{ name: string; version: string }>;
}

declare const PROXY_BUILD_INFO: BuildInfo | undefined;

let cached: BuildInfo | undefined;

/** The build's metadata (embedded by the bundler, else read from the package.json files). */
export function buildInfo(): BuildInfo {
  if (typeof PROXY_BUILD_INFO !== 'undefined') return PROXY_BUILD_INFO;
  cached ??= readBuildInfo();
  return cached;
}

/** The CLI's version. */
export function version(): string {
  return buildInfo().main.version;
}

function readBuildInfo(): BuildInfo {
  const pkg = readJson(new URL('../package.json', import.meta.url));
  const deps = Object.keys(pkg.dependencies ?? {}).map((name) => {
    let v = pkg.dependencies?.[name] ?? '';
    try {
      v = readJson(new URL(`../node_modules/${name}/package.json`, import.meta.url)).version ?? v;
    } catch {
      // not installed next to the CLI: the range from package.json is the best there is
    }
    return { name, version: v };
  });
  return { main: { name: pkg.name ?? '@proxy/cli', version: pkg.version ?? '0.0.0' }, deps };
}

function readJson(url: URL): { name?: string; version?: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
}
