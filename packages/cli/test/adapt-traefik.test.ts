import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '../dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'proxy-adapt-traefik-'));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function adapt(...args: string[]) {
  return spawnSync(process.execPath, [cli, 'adapt', ...args], { encoding: 'utf8' });
}

const ROUTER = 'tcp:\n  routers:\n    db:\n      rule: "HostSNI(`db.example.com`)"\n      service: db\n      tls: {}\n';
const SERVICE =
  '[tcp.services.db.loadBalancer]\n  [[tcp.services.db.loadBalancer.servers]]\n    address = "127.0.0.1:5432"\n';

describe('proxy adapt --adapter traefik', () => {
  it('adapts a dynamic file with the static one, compact or --pretty', () => {
    const dyn = write(
      'one.yml',
      ROUTER + '  services:\n    db:\n      loadBalancer:\n        servers: [{address: "127.0.0.1:5432"}]\n',
    );
    const stat = write('traefik.yml', 'entryPoints:\n  pg:\n    address: ":5432"\n');
    const r = adapt('--adapter', 'traefik', '--config', dyn, '--static', stat);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const config = JSON.parse(r.stdout) as { apps: { layer4: { servers: Record<string, { listen: string[] }> } } };
    expect(Object.keys(config.apps.layer4.servers)).toEqual(['pg']);
    expect(config.apps.layer4.servers['pg']!.listen).toEqual([':5432']);
    const pretty = adapt('--adapter', 'traefik', '--config', dyn, '--static', stat, '--pretty', '--validate');
    expect(pretty.status).toBe(0);
    expect(pretty.stdout.startsWith('{\n\t"apps": {\n\t\t"layer4": {')).toBe(true);
  });

  it('merges the files of a folder, YAML and TOML, as the file provider does', () => {
    const folder = join(dir, 'conf.d');
    mkdirSync(folder);
    writeFileSync(join(folder, 'routers.yml'), ROUTER);
    writeFileSync(join(folder, 'services.toml'), SERVICE);
    writeFileSync(join(folder, 'notes.txt'), 'not read');
    const r = adapt('--adapter', 'traefik', '--config', folder);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('"dial":["127.0.0.1:5432"]');
  });

  it('prints errors as FILE:LINE:COLUMN: key.path: message, exit 1, no stack trace', () => {
    const dyn = write('bad.toml', '[tcp.routers.r]\n  rule = "HostSNI(`a`) &&"\n  service = "s"\n');
    const r = adapt('--adapter', 'traefik', '--config', dyn);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${dyn}:2:3: tcp.routers.r.rule: invalid rule at column 16: expected a matcher, "!" or "(", found the end of the rule\n`,
    );
  });

  it('prints warnings on stderr and still succeeds', () => {
    const dyn = write(
      'warn.yml',
      'tcp:\n  routers:\n    r:\n      rule: "HostSNIRegexp(`^db`)"\n      service: s\n      tls:\n        options: strict\n  services:\n    s:\n      loadBalancer:\n        servers: [{address: "h:1"}]\ntls:\n  options:\n    strict:\n      minVersion: VersionTLS13\n',
    );
    const r = adapt('--adapter', 'traefik', '--config', dyn);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `${dyn}:3:5: warning: tcp.routers.r: no HostSNI domain in the rule: the TLS options "strict" are not applied (default ones are)\n`,
    );
  });

  it('says what is wrong with the flags or the files', () => {
    const missing = adapt('--adapter', 'traefik', '--config', join(dir, 'nope.yml'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`${join(dir, 'nope.yml')}: reading config file: no such file or directory\n`);
    const caddyfile = write('Caddyfile', ':80\n');
    expect(adapt('--config', caddyfile, '--static', caddyfile).stderr).toBe('--static needs --adapter traefik\n');
    expect(adapt('--adapter', 'nginx', '--config', caddyfile).stderr).toBe(
      'unknown adapter "nginx" (use caddyfile or traefik)\n',
    );
  });
});
