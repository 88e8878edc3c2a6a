/**
 * The libraries only some modules need (node-postgres, @peculiar/x509, OpenTelemetry, the template parsers, jose,
 * the CEL library) are loaded by the modules that use them, when provisioned: a config without those modules
 * starts without them (start-up time and memory at rest). A child process records every module Node resolves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RUNTIME = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const LAZY = [
  'pg',
  '@peculiar/x509',
  'reflect-metadata',
  '@opentelemetry/core',
  '@opentelemetry/sdk-trace',
  'marked',
  'yaml',
  'smol-toml',
  'jose',
  '@marcbachmann/cel-js',
];

const PROBE = `
import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.add(r.url); return r; } });
const { loadConfig } = await import(process.env.RUNTIME_ENTRY);
const inst = await loadConfig(JSON.parse(process.env.PROBE_CONFIG), { env: process.env, logDestination: { write() {} } });
await inst.stop();
const libs = JSON.parse(process.env.PROBE_LIBS);
process.stdout.write(JSON.stringify(libs.filter((l) => [...seen].some((u) => u.includes('/node_modules/' + l + '/')))));
`;

/** The libraries of LAZY that loading (and stopping) `config` resolved. */
function librariesLoadedBy(config: unknown): string[] {
  const data = mkdtempSync(path.join(tmpdir(), 'proxy-lazy-'));
  try {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
      env: {
        ...process.env,
        RUNTIME_ENTRY: RUNTIME,
        PROBE_CONFIG: JSON.stringify(config),
        PROBE_LIBS: JSON.stringify(LAZY),
        PROXY_DATA_DIR: data,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status !== 0) throw new Error(`probe failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout) as string[];
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

function server(routes: unknown[]): unknown {
  return {
    admin: { disabled: true },
    apps: {
      http: { servers: { s: { listen: ['127.0.0.1:0'], automatic_https: { disable: true }, routes } } },
    },
  };
}

describe('libraries loaded on demand', () => {
  it('a config without the modules that need them loads none of them', () => {
    const loaded = librariesLoadedBy(
      server([
        { match: [{ path: ['/a*'] }], handle: [{ handler: 'static_response', body: 'a' }] },
        { handle: [{ handler: 'headers', response: { set: { 'X-A': ['1'] } } }, { handler: 'file_server' }] },
      ]),
    );
    expect(loaded).toEqual([]);
  });

  it('the tracing handler, the templates handler and an expression matcher load theirs', () => {
    const loaded = librariesLoadedBy(
      server([
        {
          match: [{ expression: '{method} == "GET"' }],
          handle: [{ handler: 'tracing' }, { handler: 'templates' }, { handler: 'static_response', body: 'x' }],
        },
      ]),
    );
    expect(loaded).toEqual(
      expect.arrayContaining(['@opentelemetry/core', 'marked', 'yaml', 'smol-toml', '@marcbachmann/cel-js']),
    );
    expect(loaded).not.toContain('pg');
    expect(loaded).not.toContain('@peculiar/x509');
  });
});
