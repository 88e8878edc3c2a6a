/**
 * @module main: the conformance runner (`pnpm conformance [--verbose] [--strict] [filter]`): adapts every case of
 * the corpus (the in-repo copy, or $CONFORMANCE_DIR) and prints failures and two summary lines.
 */
import { diff, runCase, type ConformanceCase } from './cases.js';
import { corpusCases, corpusDir } from './corpus.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const strict = args.includes('--strict');
const filters = args.filter((a) => !a.startsWith('--'));
/** The whole corpus; a missing or empty one is a failure, not zero passing cases. */
function load(): ConformanceCase[] {
  try {
    return corpusCases();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}

const all = load();
console.error(`conformance: ${all.length} cases from ${corpusDir()}`);
const cases = all.filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
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
