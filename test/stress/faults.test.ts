/**
 * @module stress/faults: upstreams that refuse, reset mid-stream or hang, and PostgreSQL
 * restarted under pgbench: every client gets a proper answer (PostgreSQL ErrorResponse, 502/504, or a
 * closed connection, never a hang), the proxy stays up, and it serves again once the upstream is back.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles, makeCert, type TestCert } from './fixtures.js';
import {
  fdsOf,
  figure,
  freePort,
  removeDirs,
  scale,
  sleep,
  startProxy,
  stopAllProxies,
  type ProxyProcess,
} from './support.js';
import { conninfo, psql, run, startPostgres, type PgCluster } from '../l4-support.js';
import { removeTempDirs } from '../../packages/runtime/test/layer4-support.js';

let cert: TestCert;
let pg: PgCluster;
let proxy: ProxyProcess;
let httpPort: number;
let l4Port: number;
let resetL4Port: number;
let hangL4Port: number;
let revivePort: number;
const servers: net.Server[] = [];
let hangConns = 0;

/** A raw TCP server for fault upstreams. */
async function rawServer(onConn: (s: net.Socket) => void, port = 0): Promise<number> {
  const srv = net.createServer(onConn);
  srv.on('error', () => undefined);
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  servers.push(srv);
  return (srv.address() as net.AddressInfo).port;
}

beforeAll(async () => {
  cert = makeCert(['pg.example.com', 'dead.example.com']);
  pg = await startPostgres();
  revivePort = await freePort(); // nothing listens here until the "recovery" test
  // resets mid-stream: answers part of a response (HTTP or not), then RST
  const resetPort = await rawServer((s) => {
    s.on('error', () => undefined);
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n' + 'x'.repeat(10_000));
      setTimeout(() => s.resetAndDestroy(), 50);
    });
  });
  // hangs: accepts, reads, never answers
  const hangPort = await rawServer((s) => {
    hangConns++;
    s.on('error', () => undefined);
    s.on('close', () => hangConns--);
    s.resume();
  });
  [httpPort, l4Port, resetL4Port, hangL4Port] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const rp = (port: number, extra: Record<string, unknown> = {}) => ({
    handler: 'reverse_proxy',
    upstreams: [{ dial: `127.0.0.1:${port}` }],
    ...extra,
  });
  const l4proxy = (port: number) => ({ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${port}`] }] });
  const config = {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'ERROR' } } },
    apps: {
      tls: { certificates: { load_files: [loadFiles(cert)] } },
      layer4: {
        servers: {
          pg: {
            listen: [`127.0.0.1:${l4Port}`],
            routes: [
              { match: [{ postgres: { tls: 'enabled' } }], handle: [{ handler: 'postgres_tls' }] },
              { match: [{ tls: { sni: ['pg.example.com'] } }], handle: [{ handler: 'tls' }, l4proxy(pg.port)] },
              { match: [{ tls: { sni: ['dead.example.com'] } }], handle: [{ handler: 'tls' }, l4proxy(revivePort)] },
            ],
          },
          reset: { listen: [`127.0.0.1:${resetL4Port}`], routes: [{ handle: [l4proxy(resetPort)] }] },
          hang: { listen: [`127.0.0.1:${hangL4Port}`], routes: [{ handle: [l4proxy(hangPort)] }] },
        },
      },
      http: {
        servers: {
          web: {
            listen: [`127.0.0.1:${httpPort}`],
            automatic_https: { disable: true },
            routes: [
              { match: [{ path: ['/refuse'] }], handle: [rp(revivePort)] },
              { match: [{ path: ['/reset'] }], handle: [rp(resetPort)] },
              {
                match: [{ path: ['/hang'] }],
                handle: [rp(hangPort, { transport: { protocol: 'http', response_header_timeout: '1s' } })],
              },
            ],
          },
        },
      },
    },
  };
  proxy = await startProxy(config, { waitPorts: [httpPort, l4Port, resetL4Port, hangL4Port] });
}, 120_000);

afterAll(async () => {
  await stopAllProxies();
  for (const s of servers) s.close();
  await pg?.stop();
  removeTempDirs();
  removeDirs();
});

interface HttpOutcome {
  status: number;
  bytes: number;
  aborted: boolean;
  hung: boolean;
}

function get(path: string): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    let bytes = 0;
    let status = 0;
    const done = (o: Partial<HttpOutcome>): void => {
      clearTimeout(t);
      resolve({ status, bytes, aborted: false, hung: false, ...o });
    };
    const t = setTimeout(() => {
      req.destroy();
      done({ hung: true });
    }, 20_000);
    const req = http.get({ host: '127.0.0.1', port: httpPort, path, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => done({}));
      res.on('aborted', () => done({ aborted: true }));
      res.on('error', () => done({ aborted: true }));
    });
    req.on('error', () => done({ aborted: true }));
  });
}

describe('faults: upstreams that refuse, reset or hang', () => {
  it('HTTP: refused -> 502, reset mid-body -> aborted response, hang -> 504, and the proxy stays up', async () => {
    const rounds = scale(20, 200);
    const tally = { refused502: 0, resetAborted: 0, hang504: 0, wrong: 0 };
    for (let i = 0; i < rounds; i++) {
      const [a, b] = await Promise.all([get('/refuse'), get('/reset')]);
      if (a.status === 502 && !a.hung) tally.refused502++;
      else tally.wrong++;
      // A reset after the headers can only be passed on as a cut-short body (or a 502 if it came first).
      if (!b.hung && (b.status === 502 || (b.aborted && b.bytes < 1_000_000))) tally.resetAborted++;
      else tally.wrong++;
    }
    const hangs = await Promise.all(Array.from({ length: scale(4, 20) }, () => get('/hang')));
    for (const h of hangs)
      if (h.status === 504) tally.hang504++;
      else tally.wrong++;
    figure('faults http', {
      refused_502: tally.refused502,
      reset_cut_short: tally.resetAborted,
      hang_504: tally.hang504,
      wrong_answers: tally.wrong,
    });
    expect(tally.wrong).toBe(0);
    expect(proxy.alive()).toBe(true);
  }, 300_000);

  it('layer4: a reset upstream closes the client, a hung upstream is released when the client leaves', async () => {
    const rounds = scale(50, 500);
    let closed = 0;
    for (let i = 0; i < rounds; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(resetL4Port, '127.0.0.1');
        const t = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, 10_000);
        s.on('error', () => undefined);
        s.on('data', () => undefined);
        s.on('close', () => {
          clearTimeout(t);
          resolve(true);
        });
        s.on('connect', () => s.write('hello'));
      });
      if (ok) closed++;
    }
    // hung upstream: the client gives up; the proxy must drop the upstream side too
    const base = fdsOf(proxy.pid);
    const clients = await Promise.all(
      Array.from(
        { length: scale(50, 500) },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(hangL4Port, '127.0.0.1', () => {
              s.write('anyone there?');
              resolve(s);
            });
            s.on('error', () => undefined);
          }),
      ),
    );
    for (let i = 0; i < 100 && hangConns < clients.length; i++) await sleep(50);
    const heldUpstream = hangConns;
    for (const c of clients) c.destroy();
    for (let i = 0; i < 100 && hangConns > 0; i++) await sleep(50);
    let fds = fdsOf(proxy.pid);
    for (let i = 0; i < 50 && fds > base; i++) {
      await sleep(50);
      fds = fdsOf(proxy.pid);
    }
    figure('faults layer4', {
      reset_closed: `${closed}/${rounds}`,
      hung_upstreams_held: heldUpstream,
      hung_upstreams_left: hangConns,
      fds_base: base,
      fds_after: fds,
    });
    expect(closed).toBe(rounds);
    expect(heldUpstream).toBe(clients.length);
    expect(hangConns).toBe(0);
    expect(fds).toBeLessThanOrEqual(base);
  }, 300_000);

  it('a PostgreSQL client of an unreachable upstream gets an ErrorResponse; the route recovers when it listens', async () => {
    const down = await psql(conninfo('dead.example.com', l4Port, { sslmode: 'require' }), 'SELECT 1');
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain('not reachable through the proxy');
    const downHttp = await get('/refuse');
    expect(downHttp.status).toBe(502);
    // the upstream comes back: a PostgreSQL-speaking forwarder to the real cluster, and an HTTP server
    const back = net.createServer((c) => {
      const up = net.connect(pg.port, '127.0.0.1');
      c.pipe(up).pipe(c);
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => back.listen(revivePort, '127.0.0.1', r));
    servers.push(back);
    const up = await psql(conninfo('dead.example.com', l4Port, { sslmode: 'require' }), 'SELECT 41 + 1');
    expect(up.stderr).toBe('');
    expect(up.stdout.trim()).toBe('42');
    figure('faults recovery', { pg_error_while_down: true, pg_after_recovery: up.stdout.trim() === '42' });
  }, 120_000);
});

describe('faults: PostgreSQL restarted under pgbench', () => {
  it('clients get PostgreSQL errors while it is down, and everything works once it is back', async () => {
    const c = conninfo('pg.example.com', l4Port, { sslmode: 'require' });
    const init = await run(
      'pgbench',
      ['-i', '-s', '1', '-q', `host=127.0.0.1 port=${pg.port} user=postgres dbname=postgres`],
      { timeoutMs: 120_000 },
    );
    expect(init.code, init.stderr).toBe(0);
    const seconds = scale(6, 30);
    const bench = run('pgbench', ['-S', '-c', '4', '-j', '2', '-T', String(seconds), c], {
      timeoutMs: (seconds + 60) * 1000,
    });
    await sleep(scale(2000, 10_000));
    // fast shutdown (sessions are terminated), down for a second, then back on the same port
    const restarted = pg.restart(1000);
    await sleep(300);
    const whileDown = await psql(c, 'SELECT 1', 20_000);
    await restarted;
    const r = await bench;
    // pgbench's clients are cut by the restart: each must have been told by a PostgreSQL error, not hung
    const cut = (
      r.stderr.match(
        /terminating connection due to administrator command|server closed the connection unexpectedly|not reachable through the proxy/g,
      ) ?? []
    ).length;
    const after = await run('pgbench', ['-S', '-c', '4', '-j', '2', '-t', String(scale(200, 2000)), c], {
      timeoutMs: 120_000,
    });
    const processed = /number of transactions actually processed: (\d+)\/(\d+)/.exec(after.stdout);
    figure('faults pg restart', {
      pgbench_exit_during: String(r.code),
      clients_told: cut,
      while_down: JSON.stringify(whileDown.stderr.trim().split('\n')[0] ?? ''),
      after_restart: processed ? `${processed[1]}/${processed[2]}` : 'none',
      failed_after: /number of failed transactions: (\d+)/.exec(after.stdout)?.[1] ?? '?',
    });
    expect(whileDown.code).not.toBe(0);
    expect(whileDown.stderr).toMatch(
      /not reachable through the proxy|the database system is (shutting down|starting up)/,
    );
    expect(cut).toBeGreaterThan(0);
    expect(after.code, after.stderr).toBe(0);
    expect(processed?.[1]).toBe(processed?.[2]);
    expect(after.stdout).toMatch(/number of failed transactions: 0 /);
    expect(proxy.alive()).toBe(true);
  }, 300_000);
});
