/** @module conformance-cases: loads the Traefik conformance cases (fixtures/traefik_adapt, see its README) and runs one. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringifyConfig } from '@proxy/parser';
import { adaptTraefik, formatTraefikDiagnostic, type TraefikAdaptResult } from '../src/index.js';

export const casesDir = fileURLToPath(new URL('./fixtures/traefik_adapt', import.meta.url));

export interface TraefikCase {
  name: string;
  format: 'yml' | 'toml';
  static?: string;
  dynamic: string;
  expected: string;
}

export function loadTraefikCases(): TraefikCase[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.traefiktest'))
    .sort()
    .map((f) => {
      const m = /^(.*)\.(yml|toml)\.traefiktest$/.exec(f);
      if (!m) throw new Error(`${f}: name it NAME.yml.traefiktest or NAME.toml.traefiktest`);
      const parts = readFileSync(`${casesDir}/${f}`, 'utf8').split(/^-{10}\s*$/m);
      if (parts.length < 2 || parts.length > 3) throw new Error(`${f}: expected 2 or 3 parts, got ${parts.length}`);
      const [a, b, c] = parts.map((p) => p.trim());
      const format = m[2] as 'yml' | 'toml';
      return parts.length === 3
        ? { name: m[1]!, format, static: `${a}\n`, dynamic: `${b}\n`, expected: c! }
        : { name: m[1]!, format, dynamic: `${a}\n`, expected: b! };
    });
}

/** Adapts a case: the result and its printed form (tab-indented JSON, or the error lines). */
export function runTraefikCase(c: TraefikCase): { result: TraefikAdaptResult; printed: string } {
  const result = adaptTraefik({
    dynamic: { text: c.dynamic, file: `dynamic.${c.format}` },
    ...(c.static !== undefined ? { static: { text: c.static, file: `traefik.${c.format}` } } : {}),
  });
  const printed = result.config
    ? stringifyConfig(result.config, { indent: '\t' })
    : result.errors.map((d) => formatTraefikDiagnostic(d)).join('\n');
  return { result, printed };
}
