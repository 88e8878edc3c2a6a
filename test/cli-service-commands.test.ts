/**
 * @module cli-service-commands.test: through the bundle: `start` (returns once serving, or with the child's
 * error), `run --pidfile/--environ/--resume` with the autosave of configs loaded through the admin API,
 * `trust`/`untrust` against a temp trust store, and `storage export`/`import`.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { installRoot } from '@proxy/cli/commands/index-runtime';
import { bundle, exec, freePort, get, isolatedEnv, proxy, serve, serveProxy, until } from './cli-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cli-service-'));
const pids: number[] = [];
afterAll(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function post(port: number, p: string, body: string, type: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: p, method: 'POST', headers: { 'content-type': type }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const site = (admin: number, port: number, text: string) =>
  `{\n\tadmin 127.0.0.1:${admin}\n}\nhttp://127.0.0.1:${port} {\n\trespond "${text} {env.GREETING}"\n}\n`;

describe('proxy start / stop', () => {
  it('returns once the background server serves, with --envfile and --pidfile; stop ends it', async () => {
    const home = path.join(dir, 'start');
    mkdirSync(home);
    const [admin, port] = [await freePort(), await freePort()];
    writeFileSync(path.join(home, 'Caddyfile'), site(admin, port, 'started'));
    writeFileSync(path.join(home, 'env'), 'GREETING=hello\n');
    const pidfile = path.join(home, 'pid');
    const r = await proxy(
      ['start', '--config', path.join(home, 'Caddyfile'), '--envfile', path.join(home, 'env'), '--pidfile', pidfile],
      { env: isolatedEnv(home) },
    );
    expect(r.code).toBe(0);
    const pid = Number(readFileSync(pidfile, 'utf8'));
    pids.push(pid);
    expect(r.stderr).toContain(`Successfully started proxy (pid=${pid}) - proxy is running in the background`);
    // Serving already: no retry needed.
    expect((await get(port)).body).toBe('started hello');
    const stop = await proxy(['stop', '--address', `127.0.0.1:${admin}`], { env: isolatedEnv(home) });
    expect(stop.code).toBe(0);
    await until(async () => {
      if (alive(pid)) throw new Error('still running');
    });
  });

  it("fails with the child's error when the config is bad", async () => {
    const home = path.join(dir, 'start-bad');
    mkdirSync(home);
    writeFileSync(path.join(home, 'Caddyfile'), 'http://127.0.0.1:1 {\n\tnot_a_directive\n}\n');
    const r = await proxy(['start', '--config', path.join(home, 'Caddyfile')], { env: isolatedEnv(home) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not_a_directive');
    expect(r.stderr).toContain('error: proxy process exited with exit status 1');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('proxy run --environ / --resume and the autosave', () => {
  it('saves the config loaded through the admin API; --resume starts from it', async () => {
    const home = path.join(dir, 'resume');
    mkdirSync(home);
    const env = isolatedEnv(home);
    const [admin, port] = [await freePort(), await freePort()];
    const file = path.join(home, 'Caddyfile');
    writeFileSync(file, site(admin, port, 'first'));
    const s = serveProxy(['run', '--config', file, '--environ'], env);
    try {
      await s.waitFor(/admin endpoint started/);
      expect(s.output()).toContain(`caddy.AppConfigDir=${path.join(home, 'config', 'caddy')}\n`);
      expect(s.output()).toContain(`caddy.AppDataDir=${path.join(home, 'data', 'caddy')}\n`);
      expect(s.output()).toMatch(/\nGREETING=|\nHOME=/);
      expect(await post(admin, '/load', site(admin, port, 'second'), 'text/caddyfile')).toBe(200);
      expect((await get(port)).body).toBe('second ');
    } finally {
      await s.stop();
    }
    const saved = path.join(home, 'config', 'caddy', 'autosave.json');
    expect(JSON.stringify(JSON.parse(readFileSync(saved, 'utf8')))).toContain('second');
    // The file still says "first": --resume serves what was loaded last.
    const resumed = serveProxy(['run', '--config', file, '--resume'], env);
    try {
      await resumed.waitFor(/resuming from last configuration/);
      expect((await get(port)).body).toBe('second ');
    } finally {
      await resumed.stop();
    }
  });

  it('with no config and no ./Caddyfile serves an empty config (admin at $CADDY_ADMIN); --resume, like caddy-api.service', async () => {
    const home = path.join(dir, 'api-only');
    mkdirSync(home);
    const [admin, port] = [await freePort(), await freePort()];
    const env = isolatedEnv(home, { CADDY_ADMIN: `127.0.0.1:${admin}` });
    const s = serve(process.execPath, [bundle, 'run', '--environ', '--resume'], env, undefined, home);
    try {
      await s.waitFor(/no config file to load/);
      await s.waitFor(/admin endpoint started/);
      const cfg = JSON.stringify({
        apps: {
          http: {
            servers: {
              a: {
                listen: [`127.0.0.1:${port}`],
                routes: [{ handle: [{ handler: 'static_response', body: 'via api' }] }],
              },
            },
          },
        },
      });
      expect(await post(admin, '/load', cfg, 'application/json')).toBe(200);
      expect((await get(port)).body).toBe('via api');
    } finally {
      await s.stop();
    }
    const again = serve(process.execPath, [bundle, 'run', '--environ', '--resume'], env, undefined, home);
    try {
      await again.waitFor(/resuming from last configuration/);
      expect((await get(port)).body).toBe('via api');
      // `stop` finds the admin endpoint through CADDY_ADMIN too.
      expect((await proxy(['stop'], { env })).code).toBe(0);
      await until(async () => {
        if (again.child.exitCode === null) throw new Error('still running');
      });
    } finally {
      await again.stop();
    }
  });

  it('does not autosave a config with admin.config.persist false; --resume without a save uses --config', async () => {
    const home = path.join(dir, 'no-persist');
    mkdirSync(home);
    const env = isolatedEnv(home);
    const port = await freePort();
    const file = path.join(home, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        admin: { disabled: true, config: { persist: false } },
        apps: {
          http: {
            servers: {
              a: {
                listen: [`127.0.0.1:${port}`],
                routes: [{ handle: [{ handler: 'static_response', body: 'json' }] }],
              },
            },
          },
        },
      }),
    );
    const s = serveProxy(['run', '--config', file, '--resume'], env);
    try {
      await s.waitFor(/server running/);
      expect((await get(port)).body).toBe('json');
    } finally {
      await s.stop();
    }
    expect(existsSync(path.join(home, 'config', 'caddy', 'autosave.json'))).toBe(false);
  });
});

describe('proxy trust / untrust', () => {
  it("installs the running instance's local CA root into the store and runs the update command; untrust removes it", async () => {
    const home = path.join(dir, 'trust');
    const store = path.join(home, 'store');
    mkdirSync(store, { recursive: true });
    // A stand-in for update-ca-certificates: records that it ran.
    const update = path.join(home, 'update.sh');
    writeFileSync(update, `#!/bin/sh\necho ran >> ${path.join(home, 'update.log')}\n`);
    chmodSync(update, 0o755);
    const env = isolatedEnv(home, { PROXY_TRUST_STORE_DIR: store, PROXY_TRUST_UPDATE_COMMAND: update });
    const [admin, port] = [await freePort(), await freePort()];
    const file = path.join(home, 'Caddyfile');
    writeFileSync(file, site(admin, port, 'x'));
    const s = serveProxy(['run', '--config', file], env);
    try {
      await s.waitFor(/admin endpoint started/);
      const r = await proxy(['trust', '--config', file], { env });
      expect(r.stderr).toMatch(/installed the root certificate of CA "local"/);
      expect(r.code).toBe(0);
      const name = `Caddy_Local_Authority_-_${new Date().getUTCFullYear()}_ECC_Root.crt`;
      const pem = readFileSync(path.join(store, name), 'utf8');
      const cert = new X509Certificate(pem);
      expect(cert.ca).toBe(true);
      // The same root the instance keeps in its data folder.
      const onDisk = readFileSync(path.join(home, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt'), 'utf8');
      expect(new X509Certificate(onDisk).fingerprint256).toBe(cert.fingerprint256);
      expect(readFileSync(path.join(home, 'update.log'), 'utf8')).toBe('ran\n');

      const unknown = await proxy(['trust', '--address', `127.0.0.1:${admin}`, '--ca', 'nope'], { env });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('proxy: no certificate authority configured with id: nope\n');

      const un = await proxy(['untrust', '--cert', path.join(store, name)], { env });
      expect(un.code).toBe(0);
      expect(existsSync(path.join(store, name))).toBe(false);
      expect(readFileSync(path.join(home, 'update.log'), 'utf8')).toBe('ran\nran\n');
    } finally {
      await s.stop();
    }
  });

  it('refuses a file that is not a certificate, and a store it cannot write, in one line each', async () => {
    const home = path.join(dir, 'trust-errors');
    mkdirSync(home);
    const env = isolatedEnv(home, {
      PROXY_TRUST_STORE_DIR: path.join(home, 'missing'),
      PROXY_TRUST_UPDATE_COMMAND: 'true',
    });
    const junk = path.join(home, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    const r = await proxy(['untrust', '--cert', junk], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^proxy: not a PEM certificate[^\n]*\n$/);

    const key = path.join(home, 'k.pem');
    const cert = path.join(home, 'c.pem');
    const made = await exec('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=Test Root CA',
    ]);
    expect(made.code).toBe(0);
    await expect(installRoot(readFileSync(cert, 'utf8'), env)).rejects.toThrow(
      `cannot write ${path.join(home, 'missing', 'Test_Root_CA.crt')}: ENOENT`,
    );
    mkdirSync(path.join(home, 'missing'));
    expect(await installRoot(readFileSync(cert, 'utf8'), env)).toBe(path.join(home, 'missing', 'Test_Root_CA.crt'));
  });
});

describe('proxy storage export / import', () => {
  it('round-trips the configured file_system storage through a tar archive (file and stdout/stdin)', async () => {
    const home = path.join(dir, 'storage');
    const a = path.join(home, 'a');
    const b = path.join(home, 'b');
    mkdirSync(path.join(a, 'certificates', 'local', 'example.com'), { recursive: true });
    writeFileSync(path.join(a, 'certificates', 'local', 'example.com', 'example.com.crt'), 'CERT');
    writeFileSync(path.join(a, 'certificates', 'local', 'example.com', 'example.com.key'), 'KEY');
    const cfg = (root: string) => {
      const f = path.join(home, `${path.basename(root)}.json`);
      writeFileSync(f, JSON.stringify({ storage: { module: 'file_system', root } }));
      return f;
    };
    const env = isolatedEnv(home);
    const tar = path.join(home, 'out.tar');
    const ex = await proxy(['storage', 'export', '--config', cfg(a), '--output', tar], { env });
    expect(ex.code).toBe(0);
    const listing = await exec('tar', ['tf', tar]);
    expect(listing.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'certificates/local/example.com/example.com.crt',
      'certificates/local/example.com/example.com.key',
    ]);
    const im = await proxy(['storage', 'import', '--config', cfg(b), '--input', tar], { env });
    expect(im.code).toBe(0);
    expect(readFileSync(path.join(b, 'certificates', 'local', 'example.com', 'example.com.key'), 'utf8')).toBe('KEY');

    // Caddyfile configs work too, and `-` is stdout/stdin.
    const caddyfile = path.join(home, 'Caddyfile');
    const c = path.join(home, 'c');
    writeFileSync(caddyfile, `{\n\tstorage file_system ${c}\n}\n`);
    const piped = await exec(
      'sh',
      [
        '-c',
        `"$0" "$1" storage export -c "$2" -o - | "$0" "$1" storage import -c "$3" -i -`,
        process.execPath,
        path.join(import.meta.dirname, '../packages/cli/dist/bundle/main.js'),
        cfg(a),
        caddyfile,
      ],
      { env },
    );
    expect(piped.code).toBe(0);
    expect(readFileSync(path.join(c, 'certificates', 'local', 'example.com', 'example.com.crt'), 'utf8')).toBe('CERT');
  });

  it('refuses a storage module it cannot read', async () => {
    const f = path.join(dir, 'redis.json');
    writeFileSync(f, JSON.stringify({ storage: { module: 'redis' } }));
    const r = await proxy(['storage', 'export', '--config', f, '--output', path.join(dir, 'x.tar')], {
      env: isolatedEnv(dir),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('proxy: storage module "redis" is not supported (file_system and postgres are)\n');
  });
});
