/**
 * @module corpus: the one place that finds the conformance corpus: $CONFORMANCE_DIR when set, else the copy kept
 * in this package's test fixtures (test/fixtures/caddyfile_adapt, refreshed by `pnpm conformance:refresh`). Tests,
 * the `pnpm conformance` runner and the benchmarks all load cases through it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCases, type ConformanceCase } from './cases.js';

/** The corpus's folders: Caddy's own cases and caddy-l4's. */
export type CorpusFolder = 'caddy' | 'layer4';

/** The corpus root (holding caddy/ and layer4/): $CONFORMANCE_DIR, else the in-repo copy. */
export function corpusDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CONFORMANCE_DIR'];
  if (fromEnv) return resolve(fromEnv);
  // src/conformance and dist/conformance both sit two levels below the package root.
  return fileURLToPath(new URL('../../test/fixtures/caddyfile_adapt', import.meta.url));
}

/**
 * Every case of the corpus, or of one of its folders, sorted by path. Throws when the folder is missing or holds
 * no case, so nothing that reads the corpus can pass on an empty one.
 */
export function corpusCases(folder?: CorpusFolder): ConformanceCase[] {
  const dir = folder ? join(corpusDir(), folder) : corpusDir();
  if (!existsSync(dir)) throw new Error(`conformance corpus not found: ${dir} (set CONFORMANCE_DIR to a corpus root)`);
  const cases = loadCases(dir);
  if (cases.length === 0) throw new Error(`no conformance cases in ${dir}`);
  return cases;
}
