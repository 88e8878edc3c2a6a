/**
 * @module stress/fleet-outage.test: PostgreSQL stopped (fast shutdown: sessions cut) while a load generator asks
 * three `proxy run` instances of a fleet (postgres storage, postgres config loader) for plain HTTP and new TLS
 * handshakes, and wrk (keep-alive HTTP, 16 connections per instance; skipped with a message where it is not
 * installed) runs against all three from before the outage to after it: no request fails (wrk's figures printed
 * per instance); each instance logs the outage once and its end once; afterwards a push that adds a name reaches
 * every instance and the name gets its certificate (local CA, issued under the storage's lock).
 * The outage lasts 30 s, in CI too (the figure; ~45 s of CI time); FLEET_OUTAGE_MS overrides it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connOf, converge, fleetConfig, type Member, members, peerCert, push, startMember } from '../fleet-support.js';
import { type PgCluster, startPostgres } from '../l4-support.js';
import { figure } from './support.js';

const OUTAGE_MS = Number(process.env['FLEET_OUTAGE_MS'] ?? 30_000);
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

/** What wrk's summary says: requests made, and failures (non-2xx/3xx responses plus socket errors). */
interface WrkFigures {
  requests: number;
  non2xx: number;
  socketErrors: number;
}

function wrkFigures(out: string): WrkFigures {
  const requests = /(\d+) requests in /.exec(out);
  if (!requests) throw new Error(`no summary in wrk's output: ${out.slice(0, 400)}`);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(requests[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: sock ? sock.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
  };
}

const HAVE_WRK = !spawnSync('wrk', ['-v']).error;

/**
 * wrk against a port until `stop`: its duration is a bound only, since SIGINT ends it and it prints its summary
 * then; so it covers the outage however long the restart takes.
 */
function startWrk(port: number, boundS: number): { child: ChildProcess; stop: () => Promise<WrkFigures> } {
  const child = spawn(
    'wrk',
    ['-t', '1', '-c', '16', '-d', `${boundS}s`, '--timeout', '5s', `http://127.0.0.1:${port}/`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const stop = async (): Promise<WrkFigures> => {
    if (child.exitCode === null) child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    if (code === 'hung') child.kill('SIGKILL');
    if (code !== 0) throw new Error(`wrk exited with ${code}: ${out.slice(0, 400)}`);
    return wrkFigures(out);
  };
  return { child, stop };
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
  // wrk: plain HTTP keep-alive against all three, started before the outage and stopped a second after it.
  if (!HAVE_WRK) console.log('wrk is not installed: the outage runs under the Node load generator only');
  const wrks = HAVE_WRK ? fleet.map((m) => startWrk(m.http, Math.ceil(OUTAGE_MS / 1000) + 120)) : [];
  let wrkResults: WrkFigures[] = [];
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const before = ok;
    const t0 = performance.now();
    await cluster.restart(OUTAGE_MS);
    const back = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    wrkResults = await Promise.all(wrks.map((w) => w.stop()));
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
  } finally {
    running = false;
    for (const w of wrks) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  }
  wrkResults.forEach((w, i) =>
    figure('fleet-outage wrk', {
      instance: fleet[i]!.name,
      requests: w.requests,
      failed: w.non2xx + w.socketErrors,
      non2xx: w.non2xx,
      socket_errors: w.socketErrors,
    }),
  );
  for (const w of wrkResults) {
    expect(w.requests).toBeGreaterThan(0);
    expect({ non2xx: w.non2xx, socketErrors: w.socketErrors }).toEqual({ non2xx: 0, socketErrors: 0 });
  }
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
