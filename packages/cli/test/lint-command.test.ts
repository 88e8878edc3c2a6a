/** `proxy lint` through the built CLI: the three formats, rule severities from flags and a file, exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '../dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'proxy-lint-'));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function lint(...args: string[]) {
  return spawnSync(process.execPath, [cli, 'lint', ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
}

const clean = write('clean.caddyfile', ':8080 {\n\trespond x\n}\n');
const warns = write('warns.caddyfile', ':8080 {\n\t@never path /x\n\trespond x\n}\n');
const errs = write('errs.caddyfile', 'a.example.com {\n\trespond a\n}\na.example.com {\n\trespond b\n}\n');

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  }[];
}

describe('proxy lint', () => {
  it('prints nothing and exits 0 on a clean file', () => {
    const r = lint(clean);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('prints warnings as file:line:col: severity code: message and still exits 0', () => {
    const r = lint(warns);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${warns}:2:2: warning unused-matcher: matcher @never is defined but never used\n`);
  });

  it('exits 1 on errors, over several files', () => {
    const r = lint(clean, errs, warns);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `${errs}:4:1: error duplicate-site-address: site address a.example.com is already used at 1:1`,
      `${warns}:2:2: warning unused-matcher: matcher @never is defined but never used`,
    ]);
  });

  it('reports runtime validation errors at the site they come from', () => {
    const f = write('invalid.caddyfile', 'a.example.com {\n\trespond x\n}\nb.example.com {\n\trespond x 99\n}\n');
    const r = lint(f);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      `${f}:4:1: error validation-error: apps.http.servers.srv0.routes[1].handle[0].routes[0].handle[0].status_code: invalid status code 99\n`,
    );
    expect(lint(f, '--no-validate').status).toBe(0);
  });

  it('reports an unreadable file as an error', () => {
    const r = lint(join(dir, 'missing'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('missing:1:1: error read-error: reading config file: no such file or directory');
  });

  it('--rule and --lint-config set severities; flags win over the file', () => {
    expect(lint(warns, '--rule', 'unused-matcher=error').status).toBe(1);
    const off = lint(errs, '--rule', 'duplicate-site-address=off', '--rule', 'adapt-error=warning');
    expect(off.status).toBe(0);
    expect(off.stdout).toContain('warning adapt-error: ambiguous site definition: a.example.com');
    const cfg = write(
      'lint.json',
      JSON.stringify({ rules: { 'unused-matcher': 'off', 'duplicate-site-address': 'warning' } }),
    );
    expect(lint(warns, errs, '--lint-config', cfg)).toMatchObject({ status: 0 });
    expect(lint(warns, '--lint-config', cfg).stdout).toBe('');
    expect(lint(warns, '--lint-config', cfg, '--rule', 'unused-matcher=error').status).toBe(1);
  });

  it('refuses bad options with exit code 2', () => {
    expect(lint(warns, '--rule', 'unused-matcher=loud')).toMatchObject({ status: 2 });
    expect(lint(warns, '--format', 'xml')).toMatchObject({ status: 2 });
    expect(lint(warns, '--rule', 'no-such-rule=off').stderr).toContain('unknown rule no-such-rule');
  });

  it('--format json prints an array of diagnostics', () => {
    const r = lint(warns, '--format', 'json');
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: warns,
        line: 2,
        column: 2,
        endLine: 2,
        endColumn: 8,
        severity: 'warning',
        code: 'unused-matcher',
        message: 'matcher @never is defined but never used',
      },
    ]);
    expect(JSON.parse(lint(clean, '-f', 'json').stdout)).toEqual([]);
  });

  it('--format sarif prints a SARIF 2.1.0 log with every rule and the results', () => {
    const r = lint(errs, warns, '--format', 'sarif');
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('proxy lint');
    const ids = run.tool.driver.rules.map((x) => x.id);
    for (const code of [
      'unused-snippet',
      'unused-matcher',
      'duplicate-site-address',
      'unreachable-directive',
      'basic-auth-over-http',
      'deprecated',
      'tls-internal-public',
      'import-cycle',
    ]) {
      expect(ids).toContain(code);
    }
    expect(run.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['duplicate-site-address', 'error', 4],
      ['unused-matcher', 'warning', 2],
    ]);
  });
});
