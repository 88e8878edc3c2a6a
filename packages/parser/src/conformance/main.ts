/**
 * @module main: the conformance runner (`pnpm conformance [--verbose] [--strict] [filter]`): adapts every case in
 * CONFORMANCE_DIR (default ../shared/conformance from the repo root) and prints failures and two summary lines.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diff, loadCases, runCase } from './cases.js';

function defaultDir(): string {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  return join(repo, '..', 'shared', 'conformance');
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const strict = args.includes('--strict');
const filters = args.filter((a) => !a.startsWith('--'));
const dir = process.env['CONFORMANCE_DIR'] ?? defaultDir();
if (!existsSync(dir)) {
  console.error(`conformance folder not found: ${dir}`);
  process.exit(strict ? 1 : 0);
}
const cases = loadCases(dir).filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
let passed = 0;
let exact = 0;
for (const c of cases) {
  const r = runCase(c);
  if (r.semantic) passed++;
  if (r.exact) exact++;
  if (r.semantic && r.exact) continue;
  console.log(`FAIL ${r.name}: ${r.reason ?? ''}`);
  if (verbose) console.log(diff(c.expected, r.actual ?? ''));
}
console.log(`exact: ${exact}/${cases.length}`);
console.log(`${passed} passed, ${cases.length - passed} failed`);
process.exit(strict && passed < cases.length ? 1 : 0);
