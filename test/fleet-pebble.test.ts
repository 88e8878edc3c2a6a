/**
 * @module fleet-pebble.test: three `proxy run` instances sharing postgres storage (a real PostgreSQL 15) get
 * certificates for the same five names from Debian's `pebble`: exactly one ACME order per name (counted in
 * pebble's log), and every instance serves the same certificate. Pebble validates http-01 on the first instance's
 * HTTP port only, so the orders the other instances place pass because the challenge is shared through the
 * storage (CertMagic's distributed solver).
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import pg from 'pg';
import net from 'node:net';
import { openStorage, type Storage } from '@proxy/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, isolatedEnv, type Server, serveProxy, until } from './cli-support.js';
import { type PgCluster, startPostgres } from './l4-support.js';
import { connectable, hasCommand, type Pebble, startPebble } from './pebble-support.js';

const NAMES = ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}.fleet.test`);
const dir = mkdtempSync(path.join(tmpdir(), 'fleet-pebble-'));
const servers: Server[] = [];
let cluster: PgCluster | undefined;
let pebble: Pebble | undefined;
const pebbleLog = (): string => pebble?.log() ?? '';
let held: Storage | undefined;

afterAll(async () => {
  for (const s of servers) await s.stop();
  pebble?.stop();
  await held?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The certificate served for a name on a port, once pebble issued it (bounded wait). */
async function pebbleCert(port: number, servername: string): Promise<tls.PeerCertificate> {
  return until(
    () =>
      new Promise<tls.PeerCertificate>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
          const cert = s.getPeerCertificate();
          s.end();
          if (/Pebble/.test(String(cert.issuer?.CN ?? ''))) resolve(cert);
          else reject(new Error(`not issued yet: ${cert.issuer?.CN}`));
        });
        s.setTimeout(5000, () => s.destroy(new Error('timeout')));
        s.on('error', reject);
      }),
    150,
    200,
  );
}

describe.runIf(hasCommand('pebble') && hasCommand('pebble-challtestsrv'))(
  'a fleet of three sharing postgres storage, ACME from pebble',
  () => {
    const http = [0, 0, 0];
    const https = [0, 0, 0];
    let conn = '';
    let acmeDirectory = '';

    /** An instance's Caddyfile: its ports, the storage table prefix and the names it serves. */
    const caddyfile = (
      httpPort: number,
      httpsPort: number,
      prefix: string,
      names: string[],
      text: string,
      lease = '10s',
    ): string => `{
	admin off
	http_port ${httpPort}
	https_port ${httpsPort}
	acme_ca ${acmeDirectory}
	acme_ca_root ${path.join(dir, 'cert.pem')}
	email fleet@example.org
	storage postgres {
		connection_string "${conn}"
		table_prefix ${prefix}
		lock_lease ${lease}
	}
}
${names.join(', ')} {
	respond "${text}"
}
`;

    beforeAll(async () => {
      cluster = await startPostgres();
      conn = `postgresql://postgres@127.0.0.1:${cluster.port}/postgres`;
      for (let i = 0; i < 3; i++) [http[i], https[i]] = [await freePort(), await freePort()];
      pebble = await startPebble(dir, { httpPort: http[0]!, tlsPort: await freePort(), dns: true });
      acmeDirectory = pebble.directory;
      // The test holds every name's lock until all three instances listen, so that which instance orders a name
      // is left to the race for the lock, not to which one started first (the CA reaches only the first one).
      held = openStorage({ module: 'postgres', connection_string: conn, table_prefix: 'acme_' });
      for (const n of NAMES) await held!.lock(`issue_cert_${n}`);
      const env = isolatedEnv(dir);
      for (let i = 0; i < 3; i++) {
        const file = path.join(dir, `instance-${i}.Caddyfile`);
        writeFileSync(file, caddyfile(http[i]!, https[i]!, 'acme_', NAMES, `instance ${i}`));
        servers.push(serveProxy(['run', '--config', file], env));
      }
      for (const port of http) await until(() => connectable(port), 150, 200);
      for (const n of NAMES) await held!.unlock(`issue_cert_${n}`);
    }, 120_000);

    it('places one order per name and every instance serves the same certificate', async () => {
      const serials: string[][] = [];
      for (let i = 0; i < 3; i++) {
        serials.push([]);
        for (const name of NAMES) {
          const cert = await pebbleCert(https[i]!, name).catch((e: unknown) => {
            throw new Error(
              `${name} on instance ${i}: ${(e as Error).message}\n${servers[i]!.output()}\n${pebbleLog()}`,
            );
          });
          expect(cert.subjectaltname).toBe(`DNS:${name}`);
          serials[i]!.push(cert.serialNumber);
        }
      }
      expect(serials[1]).toEqual(serials[0]);
      expect(serials[2]).toEqual(serials[0]);
      expect(new Set(serials[0]).size).toBe(NAMES.length);
      // Pebble logs each order it is given and each certificate it issues.
      expect(pebbleLog().match(/Added order "\S+" to the db/g), pebbleLog()).toHaveLength(NAMES.length);
      expect(pebbleLog().match(/Issued certificate serial \S+ for order \S+/g), pebbleLog()).toHaveLength(NAMES.length);
      const orderedBy = servers.map((s) => (s.output().match(/certificate obtained successfully/g) ?? []).length);
      expect(orderedBy.reduce((a, b) => a + b)).toBe(NAMES.length);
      console.log(`names ordered by each instance: ${orderedBy.join(', ')} (pebble reaches only the first one)`);
      const c = new pg.Client({ connectionString: conn });
      await c.connect();
      try {
        const r = await c.query<{ key: string }>(
          "SELECT key FROM acme_data WHERE key LIKE 'certificates/%.crt' OR key LIKE '%challenge_tokens%' ORDER BY key",
        );
        // One certificate per name in the storage, and no challenge left behind.
        expect(r.rows.map((x) => x.key.replace(/^certificates\/[^/]+\//, ''))).toEqual(
          NAMES.map((n) => `${n}/${n}.crt`),
        );
      } finally {
        await c.end();
      }
    }, 120_000);

    it('an instance killed with SIGKILL holding the lock mid-issuance: the other one completes it', async () => {
      // The CA reaches the fleet through one address: a balancer there passes each connection to the first
      // instance that accepts it (the first test's instance leaves it).
      await servers[0]!.stop();
      const backends = [await freePort(), await freePort()];
      const lb = net
        .createServer((client) => {
          client.on('error', () => client.destroy());
          const attempt = (k: number): void => {
            if (k >= backends.length) {
              client.destroy();
              return;
            }
            const up = net.connect(backends[k]!, '127.0.0.1');
            up.once('error', () => attempt(k + 1));
            up.once('connect', () => {
              up.removeAllListeners('error');
              up.on('error', () => client.destroy());
              client.pipe(up).pipe(client);
            });
          };
          attempt(0);
        })
        .listen(http[0], '127.0.0.1');
      const stops = [() => new Promise<void>((r) => lb.close(() => r()))];
      const kill = openStorage({
        module: 'postgres',
        connection_string: conn,
        table_prefix: 'kill_',
        lock_lease: '2s',
      });
      const name = 'killed.fleet.test';
      const lock = `issue_cert_${name}`;
      try {
        const from = pebbleLog().length;
        await kill.lock(lock);
        const pair: Server[] = [];
        const tlsPorts = [await freePort(), await freePort()];
        for (let i = 0; i < 2; i++) {
          const file = path.join(dir, `kill-${i}.Caddyfile`);
          writeFileSync(file, caddyfile(backends[i]!, tlsPorts[i]!, 'kill_', [name], `survivor ${i}`, '3s'));
          const s = serveProxy(['run', '--config', file], isolatedEnv(dir));
          servers.push(s);
          pair.push(s);
        }
        for (const port of backends) await until(() => connectable(port), 150, 200);
        await kill.unlock(lock);
        // The instance that takes the lock is killed as soon as its lock row shows.
        const c = new pg.Client({ connectionString: conn });
        await c.connect();
        let pid = 0;
        try {
          pid = await until(
            async () => {
              const r = await c.query<{ owner: string }>('SELECT owner FROM kill_locks WHERE key = $1', [lock]);
              const owner = r.rows[0]?.owner;
              if (!owner) throw new Error('no holder yet');
              return Number(owner.split('/')[1]);
            },
            500,
            10,
          );
        } finally {
          await c.end();
        }
        const victim = pair.findIndex((s) => s.child.pid === pid);
        expect(victim).toBeGreaterThanOrEqual(0);
        pair[victim]!.child.kill('SIGKILL');
        const survivor = 1 - victim;
        const cert = await pebbleCert(tlsPorts[survivor]!, name);
        expect(cert.subjectaltname).toBe(`DNS:${name}`);
        // What the survivor serves is what the storage holds.
        const q = new pg.Client({ connectionString: conn });
        await q.connect();
        const rows = await q
          .query<{ value: Buffer }>("SELECT value FROM kill_data WHERE key LIKE '%/killed.fleet.test.crt'")
          .finally(() => q.end());
        expect(rows.rows).toHaveLength(1);
        expect(new X509Certificate(rows.rows[0]!.value).serialNumber).toBe(cert.serialNumber.toUpperCase());
        // At most the killed instance's unfinished order and the survivor's: never a second certificate for a name
        // whose certificate was already stored.
        const issued =
          pebbleLog()
            .slice(from)
            .match(/Issued certificate serial/g)?.length ?? 0;
        expect(issued).toBeGreaterThanOrEqual(1);
        expect(issued).toBeLessThanOrEqual(2);
        const finished = /certificate obtained successfully/.test(pair[victim]!.output());
        console.log(
          `killed instance ${victim} holding the lock (${finished ? 'after' : 'before'} it stored the certificate); certificates issued for the name: ${issued}`,
        );
      } finally {
        await kill.close();
        for (const s of stops) await s();
      }
    }, 120_000);
  },
);
