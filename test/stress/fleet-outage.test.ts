/**
 * @module stress/fleet-outage.test: PostgreSQL stopped (fast shutdown: sessions cut) while a load generator asks
 * three `proxy run` instances of a fleet (postgres storage, postgres config loader) for plain HTTP and new TLS
 * handshakes: no request fails; each instance logs the outage once and its end once; afterwards a push that adds
 * a name reaches every instance and the name gets its certificate (local CA, issued under the storage's lock).
 * The outage lasts 30 s under `pnpm test:stress`, 5 s in CI (FLEET_OUTAGE_MS overrides both).
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connOf, converge, fleetConfig, type Member, members, peerCert, push, startMember } from '../fleet-support.js';
import { type PgCluster, startPostgres } from '../l4-support.js';
import { figure, scale } from './support.js';

const OUTAGE_MS = Number(process.env['FLEET_OUTAGE_MS'] ?? scale(5_000, 30_000));
const dir = mkdtempSync(path.join(tmpdir(), 'fleet-outage-'));
let cluster: PgCluster;
let conn = '';
let fleet: Member[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  conn = connOf(cluster);
  fleet = await members(dir, conn);
}, 120_000);

afterAll(async () => {
  for (const m of fleet) await m.server?.stop();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One plain GET on a connection of the agent's; rejects on anything but a 200 with the expected body. */
function plain(port: number, agent: http.Agent | false, want: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (b += d));
      res.on('end', () =>
        res.statusCode === 200 && b === want ? resolve() : reject(new Error(`${res.statusCode} ${JSON.stringify(b)}`)),
      );
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** A new TLS connection for the name: the certificate comes from the instance's memory. */
function handshake(port: number, servername: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const cn = s.getPeerCertificate().subjectaltname;
      s.destroy();
      cn === `DNS:${servername}` ? resolve() : reject(new Error(`certificate for ${cn}`));
    });
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('error', reject);
  });
}

it(`serves every request while PostgreSQL is down for ${OUTAGE_MS / 1000} s, then issues a new name`, async () => {
  const first = 'a.fleet.localhost';
  expect((await push(dir, conn, fleetConfig(conn, 'v1', [first]))).code).toBe(0);
  fleet.forEach((m, i) => startMember(dir, m, `instance-${i}`));
  await converge(fleet, 'v1', 300, 100);
  for (const m of fleet) await handshake(m.https, first);

  // The load: per instance two keep-alive loops, one loop of new connections and one of new TLS handshakes.
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const loops: Array<Promise<void>> = [];
  const agents: http.Agent[] = [];
  const loop = async (what: string, fn: () => Promise<void>): Promise<void> => {
    while (running) {
      try {
        await fn();
        ok++;
      } catch (e) {
        failures.push(`${what}: ${(e as Error).message}`);
      }
    }
  };
  for (const m of fleet) {
    for (let k = 0; k < 2; k++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      loops.push(loop(`${m.name} keep-alive`, () => plain(m.http, agent, 'v1')));
    }
    loops.push(loop(`${m.name} new connection`, () => plain(m.http, false, 'v1')));
    loops.push(loop(`${m.name} tls`, () => handshake(m.https, first)));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const before = ok;
  const t0 = performance.now();
  await cluster.restart(OUTAGE_MS);
  const back = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  running = false;
  await Promise.all(loops);
  for (const a of agents) a.destroy();
  const during = ok - before;
  figure('fleet-outage', {
    outage_ms: Math.round(back - t0),
    requests: ok,
    requests_during_outage: during,
    failed: failures.length,
  });
  expect(failures.slice(0, 5)).toEqual([]);
  expect(during).toBeGreaterThan(0);
  for (const m of fleet) {
    const out = m.server!.output();
    expect(out.match(/config database unreachable/g), out).toHaveLength(1);
    // The storage's own lines, if it noticed at all: once per outage too.
    expect((out.match(/postgres storage connection lost/g) ?? []).length, out).toBeLessThanOrEqual(1);
    expect((out.match(/shared storage unreachable/g) ?? []).length, out).toBeLessThanOrEqual(1);
  }

  // After the outage: a push with a new name reaches all three, and the name gets a certificate.
  const second = 'b.fleet.localhost';
  const t1 = performance.now();
  expect((await push(dir, conn, fleetConfig(conn, 'v2', [first, second]))).code).toBe(0);
  await converge(fleet, 'v2', 600, 50);
  for (const m of fleet) expect((await peerCert(m.https, second)).subjectaltname).toBe(`DNS:${second}`);
  figure('fleet-outage', { push_after_outage_converged_ms: Math.round(performance.now() - t1) });
  for (const m of fleet) expect(m.server!.output()).toMatch(/config database reachable again/);
}, 180_000);
