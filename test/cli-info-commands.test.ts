/**
 * @module cli-info-commands.test: through the bundle and the `proxy` shim: list-modules, build-info, environ,
 * version, help, and completion scripts that bash actually completes with.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinModules } from '@proxy/runtime';
import { exec, isolatedEnv, proxy, root } from './cli-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cli-info-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = isolatedEnv(dir);
const cliVersion = (
  JSON.parse(readFileSync(path.join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }
).version;

describe('proxy list-modules', () => {
  it("lists every runtime module once, sorted, grouped as Caddy's, unsupported ones marked", async () => {
    const r = await proxy(['list-modules'], { env });
    expect(r.code).toBe(0);
    const [standardPart, rest] = r.stdout
      .split(/\n {2}Standard modules: (\d+)\n/)
      .reduce<[string, string]>(
        (acc, part, i) => (i === 0 ? [part, ''] : [acc[0], acc[1] + (i === 1 ? `${part}\n` : part)]),
        ['', ''],
      );
    const standard = standardPart.split('\n').filter(Boolean);
    expect(rest.startsWith(`${standard.length}\n`)).toBe(true);
    const ids = standard.map((l) => l.split(' ')[0]!);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain('http.handlers.reverse_proxy');
    expect(ids).toContain('tls.issuance.internal');
    expect(ids.some((id) => id.startsWith('layer4'))).toBe(false);
    expect(standard).toContain('http.handlers.push [unsupported: this runtime does not implement it]');
    expect(standard).toContain('http.handlers.templates');
    const nonStandard = /\n\n((?:layer4|caddy\.listeners\.layer4)[^]*?)\n\n {2}Non-standard modules: (\d+)\n/.exec(
      r.stdout,
    );
    expect(nonStandard).not.toBeNull();
    expect(nonStandard![1]!.split('\n')).toHaveLength(Number(nonStandard![2]));
    expect(nonStandard![1]).toContain('caddy.listeners.layer4\n');
    const all = new Set(builtinModules.map((m) => m.id));
    expect(standard.length + Number(nonStandard![2])).toBe(all.size);
    expect(r.stdout).toContain('\n  Unknown modules: 0\n');
  });

  it('--packages --versions --skip-standard prints only the plugins with their package and version', async () => {
    const r = await proxy(['list-modules', '--packages', '--versions', '-s'], { env });
    const lines = r.stdout.split('\n').filter((l) => l && !l.startsWith('  '));
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines)
      expect(l).toMatch(
        new RegExp(`^\\S+ v${cliVersion.replaceAll('.', '\\.')} github\\.com/mholt/caddy-l4( \\[.*\\])?$`),
      );
    expect(r.stdout).not.toContain('Standard modules');
  });
});

describe('proxy build-info / environ / version / help', () => {
  it('build-info names Node, the CLI and the packages in the build with their versions', async () => {
    const r = await proxy(['build-info'], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`node\t${process.version}`);
    expect(lines).toContain(`mod\t@proxy/cli\t${cliVersion}`);
    const bcrypt = JSON.parse(
      readFileSync(path.join(root, 'packages/cli/node_modules/bcryptjs/package.json'), 'utf8'),
    ) as { version: string };
    expect(lines).toContain(`dep\tbcryptjs\t${bcrypt.version}`);
    expect(lines.some((l) => /^dep\t@proxy\/runtime\t\d/.test(l))).toBe(true);
    expect(lines.some((l) => /^dep\tpino\t\d/.test(l))).toBe(true); // a dependency of a dependency
  });

  it("environ prints Caddy's keys with this machine's folders, then the environment", async () => {
    const r = await proxy(['environ'], { env: { ...env, PROXY_TEST_MARK: 'x=y' } });
    const [head, vars] = r.stdout.split('\n\n');
    const kv = Object.fromEntries(
      head!.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(kv['caddy.HomeDir']).toBe(dir);
    expect(kv['caddy.AppConfigDir']).toBe(path.join(dir, 'config', 'caddy'));
    expect(kv['caddy.AppDataDir']).toBe(path.join(dir, 'data', 'caddy'));
    expect(kv['caddy.ConfigAutosavePath']).toBe(path.join(dir, 'config', 'caddy', 'autosave.json'));
    expect(kv['caddy.Version']).toBe(`v${cliVersion}`);
    expect(kv['runtime.GOOS']).toBe('linux');
    expect(kv['os.Getwd']).toBe(process.cwd());
    expect(vars!.split('\n')).toContain('PROXY_TEST_MARK=x=y');
  });

  it('version, and help COMMAND for every command', async () => {
    expect((await proxy(['version'], { env })).stdout).toBe(`v${cliVersion}\n`);
    const h = await proxy(['help', 'reverse-proxy'], { env });
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: proxy reverse-proxy [options]');
    expect(h.stdout).toContain('--change-host-header');
    const top = await proxy(['help'], { env });
    for (const c of [
      'run',
      'start',
      'stop',
      'reload',
      'adapt',
      'fmt',
      'validate',
      'list-modules',
      'hash-password',
      'reverse-proxy',
      'file-server',
      'respond',
      'environ',
      'build-info',
      'storage',
      'trust',
      'untrust',
      'completion',
      'version',
      'help',
    ]) {
      expect(top.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
    }
  });
});

describe('proxy completion', () => {
  it("bash: completes commands and each command's flags (bash itself runs the script)", async () => {
    const script = path.join(dir, 'proxy.bash');
    writeFileSync(script, (await proxy(['completion', 'bash'], { env })).stdout);
    const complete = (line: string) => {
      const words = line.split(' ');
      const out = execFileSync(
        'bash',
        [
          '-c',
          `source "$0"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _proxy_completion; printf '%s\\n' "\${COMPREPLY[@]}"`,
          script,
        ],
        { encoding: 'utf8' },
      );
      return out.split('\n').filter(Boolean).sort();
    };
    expect(complete('proxy re')).toEqual(['reload', 'respond', 'reverse-proxy']);
    expect(complete('proxy reverse-proxy --ch')).toEqual(['--change-host-header']);
    expect(complete('proxy hash-password --')).toEqual(['--algorithm', '--bcrypt-cost', '--help', '--plaintext']);
    expect(complete('proxy help li')).toEqual(['lint', 'list-modules']);
    expect(complete('proxy he')).toEqual(['help']);
    expect(complete('proxy storage ')).toEqual(['export', 'import']);
    expect(complete('proxy storage export --ou')).toEqual(['--output']);
  });

  it('zsh and fish scripts name every command; an unknown shell is one error line', async () => {
    const zsh = (await proxy(['completion', 'zsh'], { env })).stdout;
    expect(zsh.startsWith('#compdef proxy\n')).toBe(true);
    expect(zsh).toContain("'file-server:");
    const fish = (await proxy(['completion', 'fish'], { env })).stdout;
    expect(fish).toContain("complete -c proxy -n '__fish_seen_subcommand_from respond' -l listen -s l -r -F");
    const bad = await proxy(['completion', 'tcsh'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('proxy: unsupported shell "tcsh" (use bash, zsh or fish)\n');
    // zsh parses what it is given, when it is installed.
    const hasZsh = await exec('zsh', ['-c', 'true']).then(
      (r) => r.code === 0,
      () => false,
    );
    if (hasZsh) expect((await exec('zsh', ['-n', '-c', zsh])).code).toBe(0);
  });
});

describe('the proxy shim', () => {
  it('scripts/install-shim.sh puts `proxy` in .tools/bin; it runs the bundle, errors are one line', async () => {
    execFileSync('bash', [path.join(root, 'scripts/install-shim.sh')]);
    const shimEnv = {
      ...env,
      PATH: `${path.join(root, '.tools/bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    };
    const v = await exec('proxy', ['version'], { env: shimEnv, cwd: dir });
    expect(v.stdout).toBe(`v${cliVersion}\n`);
    const bad = await exec('proxy', ['adapt', '--config', path.join(dir, 'missing')], { env: shimEnv, cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).not.toMatch(/ELIFECYCLE|^\$ /m);
  });
});
