/**
 * The parser bundles with tree shaking on (as scripts/bundle-cli.mjs does, and as an editor's bundler would): its
 * "sideEffects": false holds, since the directives are listed, not registered by importing modules for effect,
 * and nothing in it imports Node's modules.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'rolldown';

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/index.js');
const dir = mkdtempSync(path.join(tmpdir(), 'parser-treeshake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a tree-shaken bundle of adapt', () => {
  it('adapts respond', async () => {
    const input = path.join(dir, 'entry.js');
    writeFileSync(
      input,
      `import { adapt } from ${JSON.stringify(entry)};\nexport const result = adapt(':8080 {\\n\\trespond "hi" 201\\n}\\n', { env: {} });\n`,
    );
    await build({
      input,
      platform: 'neutral',
      output: { dir: path.join(dir, 'out'), format: 'esm', entryFileNames: 'bundle.js' },
      logLevel: 'silent',
    });
    const { result } = (await import(pathToFileURL(path.join(dir, 'out', 'bundle.js')).href)) as {
      result: { json?: string; errors: unknown[] };
    };
    expect(result.errors).toEqual([]);
    expect(JSON.parse(result.json!)).toMatchObject({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: [':8080'],
              routes: [{ handle: [{ handler: 'static_response', body: 'hi', status_code: 201 }] }],
            },
          },
        },
      },
    });
    // No Node module is imported, so it also loads in a browser (files come through a FileSystem option).
    expect(readFileSync(path.join(dir, 'out', 'bundle.js'), 'utf8')).not.toMatch(/from ["']node:|require\(["']node:/);
  });
});
