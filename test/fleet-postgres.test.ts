/**
 * @module fleet-postgres.test: postgres storage through the `proxy` command on a real PostgreSQL 15: `storage
 * export`/`import` round-trip between file and postgres storage, and two `proxy run` instances sharing postgres
 * storage with the internal issuer, started together, serving the same certificate from the same local CA (the
 * issuance and the CA's creation run under the storage's locks, so only one instance creates each).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, freePort, isolatedEnv, proxy, type Server, serveProxy, until } from './cli-support.js';
import { type PgCluster, startPostgres } from './l4-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-pg-'));
let cluster: PgCluster;
const servers: Server[] = [];
const conn = (): string => `postgresql://postgres@127.0.0.1:${cluster.port}/postgres`;

beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.stop();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function query<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: conn() });
  await c.connect();
  try {
    return (await c.query<R>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** The certificate a TLS server presents for a name (not verified: the test compares it). */
function peerCert(port: number, servername: string): Promise<tls.PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const cert = s.getPeerCertificate(true);
      s.end();
      resolve(cert);
    });
    s.setTimeout(10_000, () => s.destroy(new Error('timeout')));
    s.on('error', reject);
  });
}

describe('proxy storage export/import with postgres storage', () => {
  it('round-trips file storage -> postgres -> file storage, byte for byte', async () => {
    const a = path.join(dir, 'a');
    const longName = `${'sub.'.repeat(30)}example.com`; // a key longer than ustar's 100-byte names
    const files: Record<string, Buffer> = {
      'certificates/local/example.com/example.com.crt': Buffer.from('CERT\n'),
      'certificates/local/example.com/example.com.key': Buffer.from('KEY\n'),
      [`certificates/local/${longName}/${longName}.json`]: Buffer.from('{"sans":[]}'),
      'pki/authorities/local/root.key': Buffer.from([0, 1, 2, 254, 255]),
    };
    for (const [k, v] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(a, k)), { recursive: true });
      writeFileSync(path.join(a, k), v);
    }
    const env = isolatedEnv(dir);
    const fileCfg = (root: string): string => {
      const f = path.join(dir, `${path.basename(root)}.json`);
      writeFileSync(f, JSON.stringify({ storage: { module: 'file_system', root } }));
      return f;
    };
    const pgCfg = path.join(dir, 'Caddyfile.pg');
    writeFileSync(pgCfg, `{\n\tstorage postgres {\n\t\tconnection_string "${conn()}"\n\t\ttable_prefix io_\n\t}\n}\n`);
    const tar1 = path.join(dir, 'one.tar');
    const ex = await proxy(['storage', 'export', '-c', fileCfg(a), '-o', tar1], { env });
    expect(ex.stderr).toBe('exported 4 keys\n');
    const im = await proxy(['storage', 'import', '-c', pgCfg, '--adapter', 'caddyfile', '-i', tar1], { env });
    expect(im).toMatchObject({ code: 0, stderr: '' });
    const rows = await query<{ key: string; value: Buffer }>('SELECT key, value FROM io_data ORDER BY key');
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual(files);

    // And back out of postgres, through a pipe, into another folder.
    const c = path.join(dir, 'c');
    const piped = await exec(
      'sh',
      [
        '-c',
        `"$0" "$1" storage export -c "$2" -a caddyfile -o - | "$0" "$1" storage import -c "$3" -i -`,
        process.execPath,
        path.join(import.meta.dirname, '../packages/cli/dist/bundle/main.js'),
        pgCfg,
        fileCfg(c),
      ],
      { env },
    );
    expect(piped.code).toBe(0);
    for (const [k, v] of Object.entries(files)) expect(readFileSync(path.join(c, k))).toEqual(v);
  });

  it('refuses an archive entry that would leave the storage', async () => {
    const evil = path.join(dir, 'evil');
    mkdirSync(path.join(evil, 'x'), { recursive: true });
    writeFileSync(path.join(evil, 'x', 'f'), 'x');
    const tarFile = path.join(dir, 'evil.tar');
    // -P keeps the leading "../" that tar would strip.
    const made = await exec('tar', ['-P', '-cf', tarFile, '-C', path.join(evil, 'x'), '../x/f']);
    expect(made.code).toBe(0);
    const pgCfg = path.join(dir, 'evil.json');
    writeFileSync(pgCfg, JSON.stringify({ storage: { module: 'postgres', connection_string: conn() } }));
    const r = await proxy(['storage', 'import', '-c', pgCfg, '-i', tarFile], { env: isolatedEnv(dir) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid storage key "../x/f"');
  });
});

describe('two proxy run instances sharing postgres storage', () => {
  it('serve the same certificate from the same local CA, issued once', async () => {
    const ports = [await freePort(), await freePort()];
    const env = isolatedEnv(dir);
    const starts = ports.map((port, i) => {
      const file = path.join(dir, `fleet-${i}.Caddyfile`);
      writeFileSync(
        file,
        `{
	admin off
	local_certs
	auto_https disable_redirects
	storage postgres {
		connection_string "${conn()}"
		table_prefix fleet_
	}
}
https://fleet.localhost:${port} {
	respond "instance ${i}"
}
`,
      );
      const s = serveProxy(['run', '--config', file], env);
      servers.push(s);
      return s;
    });
    const certs = await Promise.all(
      ports.map((port, i) =>
        until(async () => {
          if (starts[i]!.child.exitCode !== null) throw new Error(`instance ${i} exited:\n${starts[i]!.output()}`);
          return peerCert(port, 'fleet.localhost');
        }, 200),
      ),
    );
    expect(certs[0]!.subjectaltname).toBe('DNS:fleet.localhost');
    expect(certs[1]!.fingerprint256).toBe(certs[0]!.fingerprint256);
    expect(certs[1]!.serialNumber).toBe(certs[0]!.serialNumber);
    const keys = await query<{ key: string }>(
      "SELECT key FROM fleet_data WHERE key LIKE '%fleet.localhost%' ORDER BY key",
    );
    expect(keys.map((r) => r.key)).toEqual([
      'certificates/local/fleet.localhost/fleet.localhost.crt',
      'certificates/local/fleet.localhost/fleet.localhost.key',
    ]);
    const roots = await query<{ n: string }>(
      "SELECT count(*) AS n FROM fleet_data WHERE key = 'pki/authorities/local/root.crt'",
    );
    expect(roots[0]!.n).toBe('1');
    // Every lock was released.
    expect(await query('SELECT key FROM fleet_locks')).toEqual([]);

    // The database going away (its idle connections cut) ends no instance: they keep serving what they have.
    await cluster.restart(1000);
    await until(async () => {
      if (!starts.every((s) => s.output().includes('postgres storage connection lost'))) throw new Error('not yet');
    }, 100);
    for (const [i, port] of ports.entries()) {
      expect(starts[i]!.child.exitCode).toBeNull();
      expect((await peerCert(port, 'fleet.localhost')).fingerprint256).toBe(certs[0]!.fingerprint256);
    }
  });
});
