import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '../dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'proxy-adapt-'));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('proxy adapt', () => {
  it('prints compact JSON, or tab-indented with --pretty', () => {
    const f = write('ok.caddyfile', ':80 {\n\trespond "<hi>"\n}\n');
    const compact = execFileSync(process.execPath, [cli, 'adapt', '--config', f], { encoding: 'utf8' });
    expect(compact).toBe(
      '{"apps":{"http":{"servers":{"srv0":{"listen":[":80"],"routes":[{"handle":[{"body":"\\u003chi\\u003e","handler":"static_response"}]}]}}}}}\n',
    );
    const pretty = execFileSync(process.execPath, [cli, 'adapt', '--config', f, '--pretty', '--validate'], {
      encoding: 'utf8',
    });
    expect(pretty.startsWith('{\n\t"apps": {\n\t\t"http": {')).toBe(true);
  });
  it('prints errors with file:line:column and exits 1 without a stack trace', () => {
    const f = write('bad.caddyfile', ':80 {\n\tbogus\n}\n');
    const r = spawnSync(process.execPath, [cli, 'adapt', '--config', f], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${f}:2:2: unrecognized directive: bogus\n`);
  });
  it('prints warnings on stderr and still succeeds', () => {
    const f = write('warn.caddyfile', 'example.com/path {\n\trespond x\n}\n');
    const r = spawnSync(process.execPath, [cli, 'adapt', '--config', f], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${f}:1:1: warning: Using a path in a site address is deprecated`);
  });
  it('reports a missing file', () => {
    const r = spawnSync(process.execPath, [cli, 'adapt', '--config', join(dir, 'nope')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no such file or directory');
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('proxy version', () => {
  it('prints the version', () => {
    expect(execFileSync(process.execPath, [cli, 'version'], { encoding: 'utf8' })).toMatch(/^v\d+\.\d+\.\d+\n$/);
  });
});
