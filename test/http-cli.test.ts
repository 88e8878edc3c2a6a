import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadCommand, stopCommand, validateCommand } from '@proxy/cli/commands/index-runtime';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A free port below the ephemeral range (see packages/runtime/test/helpers.ts). */
async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port found');
}

function get(port: number, p = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function until<T>(fn: () => Promise<T>, tries = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

const config = (port: number, adminPort: number, body: string) => ({
  admin: { listen: `127.0.0.1:${adminPort}` },
  apps: {
    http: {
      servers: {
        srv0: { listen: [`127.0.0.1:${port}`], routes: [{ handle: [{ handler: 'static_response', body }] }] },
      },
    },
  },
});

describe('proxy run / validate / reload / stop', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'proxy-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validate prints every error with its JSON path, or "Valid configuration"', async () => {
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(config(1, 2, 'x')));
    const out: string[] = [];
    expect(
      await validateCommand(
        { config: good },
        (s) => out.push(s),
        (s) => out.push(s),
      ),
    ).toBe(0);
    expect(out.join('')).toBe('Valid configuration\n');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        apps: { http: { servers: { srv0: { listen: [':1'], routes: [{ handle: [{ handler: 'foo' }] }] } } } },
      }),
    );
    const err: string[] = [];
    expect(
      await validateCommand(
        { config: bad },
        () => {},
        (s) => err.push(s),
      ),
    ).toBe(1);
    expect(err.join('')).toContain('apps.http.servers.srv0.routes[0].handle[0].handler: unknown module "foo"');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    const err2: string[] = [];
    expect(
      await validateCommand(
        { config: broken },
        () => {},
        (s) => err2.push(s),
      ),
    ).toBe(1);
    expect(err2.join('')).toContain('invalid JSON');
    const cf = path.join(dir, 'Caddyfile');
    writeFileSync(cf, 'localhost\nrespond hi\n');
    const out3: string[] = [];
    expect(
      await validateCommand(
        { config: cf },
        (s) => out3.push(s),
        (s) => out3.push(s),
      ),
    ).toBe(0);
    expect(out3.join('')).toContain('Valid configuration');
    const badCf = path.join(dir, 'Bad.Caddyfile');
    writeFileSync(badCf, 'localhost {\n\tnot_a_directive x\n}\n');
    const err3: string[] = [];
    expect(
      await validateCommand(
        { config: badCf },
        () => {},
        (s) => err3.push(s),
      ),
    ).toBe(1);
    expect(err3.join('')).toContain(`${badCf}:2:2: unrecognized directive: not_a_directive`);
  });

  it('run serves, reload swaps the config, SIGTERM stops gracefully; stop works through the admin API', async () => {
    const port = await freePort();
    const adminPort = await freePort();
    const file = path.join(dir, 'run.json');
    writeFileSync(file, JSON.stringify(config(port, adminPort, 'first {env.PROXY_CLI_GREETING}')));
    const envfile = path.join(dir, 'vars.env');
    writeFileSync(envfile, '# comment\nexport PROXY_CLI_GREETING="hello there"\n');
    const script =
      "const m = await import('@proxy/cli/commands/index-runtime'); process.exitCode = await m.runCommand({ config: process.argv[1], envfile: process.argv[2] });";
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, file, envfile], {
      cwd: here,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      expect((await until(() => get(port))).body).toBe('first hello there');
      writeFileSync(file, JSON.stringify(config(port, adminPort, 'second')));
      expect(await reloadCommand({ config: file })).toBe(0);
      expect((await get(port)).body).toBe('second');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('"msg":"shutting down"');
    } finally {
      child.kill('SIGKILL');
    }

    // again with --watch, stopped by `proxy stop`
    const watchScript =
      "const m = await import('@proxy/cli/commands/index-runtime'); process.exitCode = await m.runCommand({ config: process.argv[1], watch: true });";
    const child2 = spawn(process.execPath, ['--input-type=module', '-e', watchScript, file], {
      cwd: here,
      stdio: 'ignore',
    });
    const exited2 = new Promise<number | null>((resolve) => child2.on('exit', (code) => resolve(code)));
    try {
      expect((await until(() => get(port))).body).toBe('second');
      writeFileSync(file, JSON.stringify(config(port, adminPort, 'third')));
      expect(
        (
          await until(async () => {
            const r = await get(port);
            if (r.body !== 'third') throw new Error(r.body);
            return r;
          })
        ).body,
      ).toBe('third');
      expect(await stopCommand({ address: `127.0.0.1:${adminPort}` })).toBe(0);
      expect(await exited2).toBe(0);
    } finally {
      child2.kill('SIGKILL');
    }
  });
});
