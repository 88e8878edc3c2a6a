/**
 * The layer4 part of every case in shared/conformance/layer4, adapted part-wise: the `layer4 {}` global
 * option against `apps.layer4`, and each `layer4` listener wrapper against its object in
 * `apps.http.servers.*.listener_wrappers`; then each whole case through `adapt()`. Both semantic (deep
 * equality) and byte-exact (tab-indented text).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  adapt, Dispenser, isAppValue, parse, parseLayer4ListenerWrapper, parseLayer4Option, stringifyConfig, type JsonObject, type Token,
} from '@proxy/parser';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// CONFORMANCE_DIR may name the corpus root or one of its folders (caddy/).
const env = process.env['CONFORMANCE_DIR'];
const candidates = [...(env ? [join(env, 'layer4'), join(env, '..', 'layer4')] : []), join(repo, '..', 'shared', 'conformance', 'layer4')];
const dir = candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 1]!;
const cases = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.caddyfiletest')).sort() : [];

/** Re-prints a JSON text as Caddy's harness compares it (tab indent, Go escapes), keeping key order. */
function canonical(value: unknown): string {
  return stringifyConfig(value, { indent: '\t' });
}

/** The parts of a case's Caddyfile this package adapts, with what each must give. */
function parts(text: string): { name: string; actual: () => unknown; expected: unknown }[] {
  const [caddyfile, json] = text.split(/^-{10}\s*$/m) as [string, string];
  const expected = JSON.parse(json) as { apps?: Record<string, JsonObject> };
  const { ast, diagnostics } = parse(caddyfile.trim() + '\n', { filename: 'Caddyfile', env: {} });
  expect(diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  const global = ast.blocks[0]?.keys.length === 0 ? ast.blocks[0] : undefined;
  const out: { name: string; actual: () => unknown; expected: unknown }[] = [];
  let existing: unknown;
  for (const seg of global?.segments ?? []) {
    const name = seg.tokens[0]?.text;
    if (name === 'layer4') {
      const tokens: Token[] = seg.tokens;
      out.push({
        name: 'apps.layer4',
        actual: () => {
          const v = parseLayer4Option(new Dispenser(tokens), existing);
          existing = v;
          expect(isAppValue(v)).toBe(true);
          return v.value;
        },
        expected: expected.apps?.['layer4'],
      });
    }
    if (name === 'servers') {
      const wrappers = listenerWrapperSegments(seg.tokens);
      const servers = (expected.apps?.['http']?.['servers'] ?? {}) as Record<string, { listener_wrappers?: JsonObject[] }>;
      const expectedWrappers = Object.values(servers)[0]?.listener_wrappers ?? [];
      wrappers.forEach((tokens, i) => {
        if (tokens[0]?.text !== 'layer4') return;
        out.push({
          name: `listener_wrappers[${i}]`,
          actual: () => parseLayer4ListenerWrapper(new Dispenser(tokens)),
          expected: expectedWrappers[i],
        });
      });
    }
  }
  return out;
}

/** The segments inside `servers { listener_wrappers { ... } }`. */
function listenerWrapperSegments(tokens: Token[]): Token[][] {
  const d = new Dispenser(tokens);
  const out: Token[][] = [];
  d.next();
  d.remainingArgs();
  for (let n = d.nesting(); d.nextBlock(n); ) {
    if (d.val() !== 'listener_wrappers') continue;
    for (let m = d.nesting(); d.nextBlock(m); ) out.push(d.nextSegment());
  }
  return out;
}

describe.skipIf(cases.length === 0)('layer4 conformance cases, part-wise', () => {
  for (const file of cases) {
    const text = readFileSync(join(dir, file), 'utf8');
    it(file.replace(/\.caddyfiletest$/, ''), () => {
      const ps = parts(text);
      expect(ps.length).toBeGreaterThan(0);
      for (const p of ps) {
        const actual = p.actual();
        expect(actual, p.name).toEqual(p.expected);
        expect(canonical(actual), p.name).toBe(canonical(p.expected));
      }
    });
  }
});

describe.skipIf(cases.length === 0)('layer4 conformance cases, whole', () => {
  for (const file of cases) {
    it(file.replace(/\.caddyfiletest$/, ''), () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const [caddyfile, json] = text.split(/^-{10}\s*$/m) as [string, string];
      const result = adapt(caddyfile.trim() + '\n', { filename: 'Caddyfile', dir, env: {} });
      expect(result.errors).toEqual([]);
      expect(result.config).toEqual(JSON.parse(json));
      expect(stringifyConfig(result.config, { indent: '\t' })).toBe(json.trim());
    });
  }
});
