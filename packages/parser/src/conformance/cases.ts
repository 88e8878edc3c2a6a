/** @module cases: loads conformance cases (`*.caddyfiletest`, `.txt` in caddy/) and checks one against `adapt`. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { adapt } from '../adapt/adapt.js';
import { stringifyConfig } from '../adapt/json.js';

/** One case: a Caddyfile and what adapting it must give (a JSON text, or an error substring). */
export interface ConformanceCase {
  name: string;
  dir: string;
  caddyfile: string;
  expected: string;
  expectsError: boolean;
}

/** The outcome of one case. */
export interface CaseResult {
  name: string;
  semantic: boolean;
  exact: boolean;
  reason?: string;
  actual?: string;
}

/** Loads every case under `root` (recursively, skipping `testdata` folders), sorted by path. */
export function loadCases(root: string): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const walk = (dir: string, inCaddy: boolean): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'testdata') walk(path, inCaddy || entry === 'caddy');
        continue;
      }
      if (!entry.endsWith('.caddyfiletest') && !(inCaddy && entry.endsWith('.txt'))) continue;
      const c = parseCase(readFileSync(path, 'utf8'), dir, entry.replace(/\.(caddyfiletest|txt)$/, ''));
      if (c) out.push(c);
    }
  };
  walk(root, basename(root) === 'caddy');
  return out;
}

/** Splits a case file at its `----------` line. */
export function parseCase(text: string, dir: string, name: string): ConformanceCase | undefined {
  const m = /^-{10}\s*$/m.exec(text);
  if (!m) return undefined;
  const caddyfile = text.slice(0, m.index).trim() + '\n';
  const expected = text.slice(m.index + m[0].length).trim();
  return { name, dir, caddyfile, expected, expectsError: !expected.startsWith('{') };
}

/** Adapts a case and compares the result. */
export function runCase(c: ConformanceCase): CaseResult {
  // Caddy's harness runs in the cases' folder, so files a directive reads (e.g. `trusted_ca_cert_file
  // ../caddy.ca.cer`) resolve against it, as imports do.
  const cwd = process.cwd();
  let moved = false;
  try {
    process.chdir(c.dir);
    moved = true;
  } catch {
    // not allowed in worker threads: paths then resolve against the current folder
  }
  let result: ReturnType<typeof adapt>;
  try {
    result = adapt(c.caddyfile, { filename: 'Caddyfile', dir: c.dir });
  } finally {
    if (moved) process.chdir(cwd);
  }
  const errors = result.errors.map((e) => e.caddyMessage ?? e.message);
  if (c.expectsError) {
    if (errors.some((e) => e.includes(c.expected))) return { name: c.name, semantic: true, exact: true };
    const reason =
      errors.length > 0
        ? `expected error "${c.expected}", got "${errors.join('; ')}"`
        : `expected error "${c.expected}", got a config`;
    return {
      name: c.name,
      semantic: false,
      exact: false,
      reason,
      actual: result.config ? stringifyConfig(result.config, { indent: '\t' }) : errors.join('\n'),
    };
  }
  if (!result.config)
    return {
      name: c.name,
      semantic: false,
      exact: false,
      reason: `unexpected error: ${errors.join('; ')}`,
      actual: errors.join('\n'),
    };
  const actual = stringifyConfig(result.config, { indent: '\t' });
  let semantic = false;
  try {
    semantic = deepEqual(JSON.parse(actual), JSON.parse(c.expected));
  } catch {
    semantic = false;
  }
  const exact = actual === c.expected;
  const reason = semantic ? (exact ? undefined : 'key order or escaping differs') : 'config differs';
  return { name: c.name, semantic, exact, ...(reason ? { reason } : {}), actual };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** A line diff of two texts (first differing region with some context). */
export function diff(expected: string, actual: string, context = 3): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  let start = 0;
  while (start < e.length && start < a.length && e[start] === a[start]) start++;
  let ee = e.length - 1;
  let ae = a.length - 1;
  while (ee >= start && ae >= start && e[ee] === a[ae]) {
    ee--;
    ae--;
  }
  const out: string[] = [];
  for (let i = Math.max(0, start - context); i < start; i++) out.push(`  ${e[i]}`);
  for (let i = start; i <= Math.min(ee, start + 40); i++) out.push(`- ${e[i]}`);
  for (let i = start; i <= Math.min(ae, start + 40); i++) out.push(`+ ${a[i]}`);
  return out.join('\n');
}
