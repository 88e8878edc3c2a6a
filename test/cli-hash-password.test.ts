/**
 * @module cli-hash-password.test: `proxy hash-password` through the bundle: the hash it prints (from --plaintext,
 * stdin, or a terminal without echo) is one the runtime's basic_auth accepts for that password only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle, freePort, get, isolatedEnv, proxy, serveProxy } from './cli-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cli-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = isolatedEnv(dir);

describe('proxy hash-password', () => {
  it("hashes stdin's first line with Caddy's default cost; basic_auth accepts that password and no other", async () => {
    const r = await proxy(['hash-password'], { env, input: 'correct horse\nignored line\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toMatch(/^\$2a\$14\$[./A-Za-z0-9]{53}$/);

    const port = await freePort();
    const file = path.join(dir, 'Caddyfile');
    writeFileSync(
      file,
      `{\n\tadmin off\n}\nhttp://127.0.0.1:${port} {\n\tbasic_auth {\n\t\talice ${hash}\n\t}\n\trespond "welcome {http.auth.user.id}"\n}\n`,
    );
    const s = serveProxy(['run', '--config', file], env);
    try {
      await s.waitFor(/server running/);
      const auth = (user: string, pass: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
      });
      const ok = await get(port, '/', auth('alice', 'correct horse'));
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('welcome alice');
      expect((await get(port, '/', auth('alice', 'correct horse ignored line'))).status).toBe(401);
      expect((await get(port, '/', auth('alice', 'wrong'))).status).toBe(401);
      expect((await get(port, '/')).status).toBe(401);
    } finally {
      await s.stop();
    }
  });

  it('takes --plaintext and --bcrypt-cost, refuses other algorithms and an empty password', async () => {
    const r = await proxy(['hash-password', '--plaintext', 'pw', '--bcrypt-cost', '5'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\$2a\$05\$/);
    expect(await bcrypt.compare('pw', r.stdout.trim())).toBe(true);
    const bad = await proxy(['hash-password', '-p', 'pw', '--algorithm', 'scrypt'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('proxy: unrecognized hash algorithm: scrypt\n');
    const empty = await proxy(['hash-password'], { env, input: '\n' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe('proxy: plaintext is required\n');
  });

  // util-linux's `script` gives the command a terminal, as a user typing has.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)('on a terminal, asks twice without echoing and refuses a mismatch', async () => {
    const typeInto = (first: string, second: string) =>
      new Promise<string>((resolve, reject) => {
        const cmd = `${process.execPath} ${bundle} hash-password --bcrypt-cost 4`;
        const child = spawn('script', ['-qec', cmd, '/dev/null'], { env, stdio: 'pipe' });
        let out = '';
        let step = 0;
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (step === 0 && out.includes('Enter password: ')) {
            step = 1;
            child.stdin.write(`${first}\r`);
          } else if (step === 1 && out.includes('Confirm password: ')) {
            step = 2;
            child.stdin.write(`${second}\r`);
          }
        });
        child.on('error', reject);
        child.on('exit', () => {
          clearTimeout(timer);
          resolve(out);
        });
      });
    const out = await typeInto('s3cret-typed', 's3cret-typed');
    expect(out).not.toContain('s3cret-typed');
    const hash = /\$2a\$04\$[./A-Za-z0-9]{53}/.exec(out)?.[0];
    expect(hash).toBeDefined();
    expect(await bcrypt.compare('s3cret-typed', hash!)).toBe(true);
    const mismatch = await typeInto('one', 'two');
    expect(mismatch).toContain('password does not match');
    expect(mismatch).not.toMatch(/\$2a\$/);
  });
});
