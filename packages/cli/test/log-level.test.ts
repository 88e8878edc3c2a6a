import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withLogLevel } from '@proxy/cli/commands/index-runtime';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/bundle/main.js');

describe('proxy run --log-level', () => {
  it('sets the default log level and keeps the other logs', () => {
    expect(withLogLevel({ logging: { logs: { access: { level: 'info' } } } }, 'error')).toEqual({
      logging: { logs: { access: { level: 'info' }, default: { level: 'error' } } },
    });
    expect(withLogLevel({ apps: {} }, undefined)).toEqual({ apps: {} });
  });
  it('rejects an unknown level with the JSON path, before serving', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-level-'));
    try {
      const file = path.join(dir, 'Caddyfile');
      writeFileSync(file, '{\n\tadmin off\n}\n127.0.0.1:1 {\n\trespond hi\n}\n');
      const r = spawnSync(process.execPath, [cli, 'run', '--config', file, '--log-level', 'loud'], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('logging.logs.default.level: unknown level "loud"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
