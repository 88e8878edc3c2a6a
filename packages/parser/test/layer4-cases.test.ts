/**
 * The layer4 part of every case in the conformance corpus's layer4/ folder, adapted part-wise: the `layer4 {}` global
 * option against `apps.layer4`, and each `layer4` listener wrapper against its object in
 * `apps.http.servers.*.listener_wrappers`; then each whole case through `adapt()`. Both semantic (deep
 * equality) and byte-exact (tab-indented text).
 */
import { describe, expect, it } from 'vitest';
import {
  adapt,
  Dispenser,
  isAppValue,
  parse,
  parseLayer4ListenerWrapper,
  parseLayer4Option,
  stringifyConfig,
  type JsonObject,
  type Token,
} from '@proxy/parser';
import { corpusCases } from '@proxy/parser/testing';

const cases = corpusCases('layer4');

/** Re-prints a JSON text as Caddy's harness compares it (tab indent, Go escapes), keeping key order. */
function canonical(value: unknown): string {
  return stringifyConfig(value, { indent: '\t' });
}

/** The parts of a case's Caddyfile this package adapts, with what each must give. */
function parts(caddyfile: string, json: string): { name: string; actual: () => unknown; expected: unknown }[] {
  const expected = JSON.parse(json) as { apps?: Record<string, JsonObject> };
  const { ast, diagnostics } = parse(caddyfile, { filename: 'Caddyfile', env: {} });
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
      const servers = (expected.apps?.['http']?.['servers'] ?? {}) as Record<
        string,
        { listener_wrappers?: JsonObject[] }
      >;
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

describe('layer4 conformance cases, part-wise', () => {
  it('has the corpus', () => expect(cases.length).toBeGreaterThan(30));
  for (const c of cases) {
    it(c.name, () => {
      const ps = parts(c.caddyfile, c.expected);
      expect(ps.length).toBeGreaterThan(0);
      for (const p of ps) {
        const actual = p.actual();
        expect(actual, p.name).toEqual(p.expected);
        expect(canonical(actual), p.name).toBe(canonical(p.expected));
      }
    });
  }
});

describe('layer4 conformance cases, whole', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = adapt(c.caddyfile, { filename: 'Caddyfile', dir: c.dir, env: {} });
      expect(result.errors).toEqual([]);
      expect(result.config).toEqual(JSON.parse(c.expected));
      expect(stringifyConfig(result.config, { indent: '\t' })).toBe(c.expected);
    });
  }
});
