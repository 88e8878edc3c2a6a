/**
 * @module cli-binary.test: `pnpm build:binary`'s single executable works on its own: copied to a scratch folder,
 * run with no repository and no node on the PATH, it prints its version and serves a Caddyfile, the seed example
 * (HTTPS and PostgreSQL on one port, to curl and psql) among them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, freePort, get, root, serve } from './cli-support.js';
import { psql, run, startPostgres } from './l4-support.js';
import { seedCaddyfile } from './seed-caddyfile.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'cli-binary-'));
const binary = path.join(scratch, 'proxy');
// Nothing of the machine's: no node, no repository, a home of its own.
const env = { HOME: scratch, PATH: path.join(scratch, 'no-such-bin'), LANG: 'C' };
const cliVersion = (
  JSON.parse(readFileSync(path.join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }
).version;

beforeAll(() => {
  // The build (`pnpm test` has built the packages already) copies a ~100 MB Node and injects the blob.
  execFileSync(process.execPath, [path.join(root, 'scripts/build-binary.mjs')], { cwd: root, stdio: 'pipe' });
  copyFileSync(path.join(root, 'dist/proxy'), binary);
  execFileSync('chmod', ['755', binary]);
}, 300_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the single executable', () => {
  it('is one file and prints its version with no node on the PATH', async () => {
    expect(statSync(binary).isFile()).toBe(true);
    const r = await exec(binary, ['version'], { env, cwd: scratch });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`v${cliVersion}\n`);
    const info = await exec(binary, ['build-info'], { env, cwd: scratch });
    expect(info.stdout).toContain(`mod\t@proxy/cli\t${cliVersion}`);
  });

  it('runs a Caddyfile (with the lazily loaded runtime commands) and serves it', async () => {
    const port = await freePort();
    writeFileSync(
      path.join(scratch, 'Caddyfile'),
      `{\n\tadmin off\n}\nhttp://127.0.0.1:${port} {\n\trespond "single executable {http.request.uri.path}"\n}\n`,
    );
    const s = serve(binary, ['run', '--config', path.join(scratch, 'Caddyfile')], env);
    try {
      await s.waitFor(/server running/);
      const a = await get(port, '/hello');
      expect(a.status).toBe(200);
      expect(a.body).toBe('single executable /hello');
    } finally {
      await s.stop();
    }
    const bad = await exec(binary, ['adapt', '--config', 'missing'], { env, cwd: scratch });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('forks its workers from itself (run --workers 2)', async () => {
    const port = await freePort();
    const file = path.join(scratch, 'workers.Caddyfile');
    writeFileSync(file, `{\n\tadmin off\n}\nhttp://127.0.0.1:${port} {\n\trespond "worker"\n}\n`);
    const s = serve(binary, ['run', '--config', file, '--workers', '2'], env);
    try {
      await s.waitFor(/server running[^]*server running/);
      expect((await get(port)).body).toBe('worker');
    } finally {
      await s.stop();
    }
  });

  it('serves the seed example from the scratch folder: HTTPS and PostgreSQL on one port', async () => {
    const pgc = await startPostgres();
    const port = await freePort();
    const file = path.join(scratch, 'seed.Caddyfile');
    writeFileSync(file, seedCaddyfile(pgc.port, port, await freePort()));
    const data = path.join(scratch, 'data');
    const s = serve(binary, ['run', '--config', file], { ...env, PROXY_DATA_DIR: data });
    try {
      await s.waitFor(/server running|serving/);
      const rootCA = path.join(data, 'pki/authorities/local/root.crt');
      for (let i = 0; i < 100 && !existsSync(rootCA); i++) await new Promise((r) => setTimeout(r, 100));
      const https = await run(
        'curl',
        [
          '-sS',
          '--cacert',
          rootCA,
          '--resolve',
          `www.example.com:${port}:127.0.0.1`,
          `https://www.example.com:${port}/`,
        ],
        { timeoutMs: 20_000 },
      );
      expect(https.stdout).toBe('OK');
      const sql = await psql(
        `host=pgsql.example.com hostaddr=127.0.0.1 port=${port} user=postgres dbname=postgres connect_timeout=10 sslmode=verify-full sslrootcert=${rootCA}`,
        'SELECT 40 + 2',
      );
      expect(sql.stderr).toBe('');
      expect(sql.stdout.trim()).toBe('42');
    } finally {
      await s.stop();
      await pgc.stop();
    }
  }, 120_000);
});
