/**
 * @module adapter-runtime-agreement: the adapter and the runtime share one idea of each module's JSON. Every
 * config the adapter produces for the conformance corpus must pass the runtime's validation (unknown modules,
 * unknown fields and wrong types are errors there), except for files the cases name but the corpus lacks and
 * Caddy modules the runtime says it does not implement yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapt } from '@proxy/parser';
import { corpusCases } from '@proxy/parser/testing';
import { validateConfig } from '@proxy/runtime';

const dataDir = mkdtempSync(path.join(tmpdir(), 'agreement-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * Problems that are about the environment, declared gaps, or policy checks a valid shape can still fail (Caddy
 * too refuses on-demand TLS without a permission endpoint) — not about the JSON's shape.
 */
const tolerated = /ENOENT|not supported yet|not implemented|is not available|needs a permission endpoint/;

/**
 * Cases whose adapted config Caddy itself refuses to load, with what it says: the corpus checks the adapter's
 * output only. `expression_quotes`: a backquoted CEL literal stays in the expression, and CEL has no backquote
 * strings (caddy 2.6.2 `validate`: "provision http.matchers.expression: ... Syntax error: token recognition error
 * at: '`'").
 */
const refusedByCaddy: Record<string, RegExp> = {
  expression_quotes: /compiling CEL program: Unexpected character: `/,
  // Current Caddy's acme_server Provision refuses a lifetime not below the CA's intermediate lifetime, 7 days by
  // default, with these words; the case sets `lifetime 7d` (2.6.2 has no `lifetime` to compare with).
  acme_server_lifetime: /certificate lifetime \(168h0m0s\) should be less than intermediate certificate lifetime/,
};

describe('adapter output is valid runtime config', () => {
  const cases = corpusCases().filter((c) => !c.expectsError);
  it('has cases to check', () => expect(cases.length).toBeGreaterThan(150));
  it('every adapted conformance config passes runtime validation', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const c of cases) {
      const r = adapt(c.caddyfile, { filename: 'Caddyfile', dir: c.dir });
      if (!r.config) continue;
      checked++;
      // Listen addresses take their placeholders at load, as Caddy's do (`fd/{env.CADDY_HTTPS_FD}`): the variables a
      // case names are the machine's, so each one missing here stands in as a file descriptor number.
      const named = Object.fromEntries(
        [...JSON.stringify(r.config).matchAll(/\{env\.([A-Za-z0-9_]+)\}/g)].map((m) => [
          m[1]!,
          process.env[m[1]!] ?? '3',
        ]),
      );
      const errors = await validateConfig(r.config, { env: { ...process.env, ...named, PROXY_DATA_DIR: dataDir } });
      for (const e of errors) {
        if (tolerated.test(e.message) || refusedByCaddy[c.name]?.test(e.message)) continue;
        problems.push(`${c.name}: ${e.path}: ${e.message}`);
      }
    }
    console.log(`adapter/runtime agreement: ${checked} adapted configs validated, ${problems.length} disagreements`);
    expect(problems).toEqual([]);
  }, 240_000);
});
