/**
 * @module stress/reload-shutdown: the config is reloaded every second (admin /load) while
 * pgbench runs through the layer4 listener wrapper and the layer4 app, and wrk runs against the http app:
 * no failed request, no broken session, every reload accepted. Then SIGTERM while requests are in flight:
 * they complete, and the process exits within the grace period.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles, makeCert, type TestCert } from './fixtures.js';
import { figure, freePort, removeDirs, scale, sleep, startProxy, stopAllProxies } from './support.js';
import { conninfo, run, startPostgres, type PgCluster } from '../l4-support.js';
import { removeTempDirs } from '../../packages/runtime/test/layer4-support.js';

let cert: TestCert;
let pg: PgCluster;
let ports: { http: number; https: number; l4: number; admin: number };
let slowPort: number;
let slowServer: http.Server;

/** The config, version `v`: every version answers with its own body, so each reload really swaps routes. */
function config(v: number) {
  const pgRoutes = [
    { match: [{ postgres: { tls: 'enabled' } }], handle: [{ handler: 'postgres_tls' }] },
    {
      match: [{ tls: { sni: ['pg.example.com'] } }],
      handle: [{ handler: 'tls' }, { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${pg.port}`] }] }],
    },
  ];
  return {
    admin: { listen: `127.0.0.1:${ports.admin}` },
    logging: { logs: { default: { level: 'WARN' } } },
    apps: {
      tls: { certificates: { load_files: [loadFiles(cert)] } },
      layer4: { servers: { pg: { listen: [`127.0.0.1:${ports.l4}`], routes: pgRoutes } } },
      http: {
        grace_period: '5s',
        servers: {
          plain: {
            listen: [`127.0.0.1:${ports.http}`],
            automatic_https: { disable: true },
            routes: [
              {
                match: [{ path: ['/slow'] }],
                handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${slowPort}` }] }],
              },
              { handle: [{ handler: 'static_response', body: `v${v}` }] },
            ],
          },
          tls: {
            listen: [`127.0.0.1:${ports.https}`],
            listener_wrappers: [{ wrapper: 'layer4', routes: pgRoutes }, { wrapper: 'tls' }],
            tls_connection_policies: [{}],
            automatic_https: { disable: true },
            routes: [{ handle: [{ handler: 'static_response', body: `v${v}` }] }],
          },
        },
      },
    },
  };
}

beforeAll(async () => {
  cert = makeCert(['pg.example.com', 'www.example.com']);
  pg = await startPostgres();
  // an upstream that takes 2s to answer: requests in flight when SIGTERM arrives
  slowServer = http.createServer((_req, res) => {
    setTimeout(() => res.end('slow done'), 2000);
  });
  await new Promise<void>((r) => slowServer.listen(0, '127.0.0.1', r));
  slowPort = (slowServer.address() as { port: number }).port;
  ports = { http: await freePort(), https: await freePort(), l4: await freePort(), admin: await freePort() };
  const init = await run(
    'pgbench',
    ['-i', '-s', '1', '-q', `host=127.0.0.1 port=${pg.port} user=postgres dbname=postgres`],
    { timeoutMs: 120_000 },
  );
  expect(init.code, init.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await stopAllProxies();
  slowServer?.close();
  await pg?.stop();
  removeTempDirs();
  removeDirs();
});

function pgbenchFigures(out: string): { processed: string; failed: string } {
  return {
    processed: /number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? '?',
    failed: /number of failed transactions: (\d+)/.exec(out)?.[1] ?? '?',
  };
}

describe('reload under load', () => {
  it('reloads every second during pgbench and wrk: zero failed requests, zero broken sessions', async () => {
    const proxy = await startProxy(config(0), {
      waitPorts: [ports.http, ports.https, ports.l4, ports.admin],
      adminPort: ports.admin,
    });
    try {
      const seconds = scale(8, 60);
      const bench = (port: number) =>
        run(
          'pgbench',
          ['-S', '-c', '4', '-j', '1', '-T', String(seconds), conninfo('pg.example.com', port, { sslmode: 'require' })],
          { timeoutMs: (seconds + 60) * 1000 },
        );
      const runs = Promise.all([
        bench(ports.https),
        bench(ports.l4),
        run('wrk', ['-t', '1', '-c', '16', '-d', `${seconds}s`, `http://127.0.0.1:${ports.http}/`], {
          timeoutMs: (seconds + 60) * 1000,
        }),
      ]);
      let reloads = 0;
      let reloadFailures = 0;
      const problems: string[] = [];
      const t0 = performance.now();
      await sleep(500);
      while (performance.now() - t0 < (seconds - 1) * 1000) {
        const r = await proxy.load(config(++reloads));
        if (r.status !== 200) {
          reloadFailures++;
          if (problems.length < 3) problems.push(r.body.trim());
        }
        await sleep(1000);
      }
      const [viaWrapper, viaApp, wrk] = await runs.finally(() => undefined);
      const served = await fetch(`http://127.0.0.1:${ports.http}/`).then((r) => r.text());
      const wrkErrors = /Socket errors: (.*)/.exec(wrk.stdout)?.[1] ?? 'none';
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(wrk.stdout)?.[1] ?? '0';
      const wrkRequests = /(\d+) requests in/.exec(wrk.stdout)?.[1] ?? '?';
      const w = pgbenchFigures(viaWrapper.stdout);
      const a = pgbenchFigures(viaApp.stdout);
      figure('reload under load', {
        reloads,
        reload_failures: reloadFailures,
        wrk_requests: wrkRequests,
        wrk_socket_errors: JSON.stringify(wrkErrors),
        wrk_non2xx: non2xx,
        pgbench_wrapper_tx: w.processed,
        pgbench_wrapper_failed: w.failed,
        pgbench_app_tx: a.processed,
        pgbench_app_failed: a.failed,
        pgbench_exit: `${viaWrapper.code},${viaApp.code}`,
      });
      if (problems.length) console.log(`reload problems: ${problems.join(' | ')}`);
      if (viaWrapper.code !== 0) console.log(`pgbench via wrapper: ${viaWrapper.stderr.slice(0, 600)}`);
      if (viaApp.code !== 0) console.log(`pgbench via app: ${viaApp.stderr.slice(0, 600)}`);
      expect(reloadFailures).toBe(0);
      expect(served).toBe(`v${reloads}`);
      expect(wrk.code, wrk.stderr).toBe(0);
      expect(wrkErrors).toBe('none');
      expect(non2xx).toBe('0');
      expect(viaWrapper.code).toBe(0);
      expect(w.failed).toBe('0');
      expect(viaApp.code).toBe(0);
      expect(a.failed).toBe('0');
    } finally {
      await proxy.stop('SIGTERM');
    }
  }, 600_000);
});

describe('shutdown under load', () => {
  it('SIGTERM lets in-flight requests finish and exits within the grace period', async () => {
    const proxy = await startProxy(config(0), { waitPorts: [ports.http, ports.admin], adminPort: ports.admin });
    const n = scale(20, 200);
    const inflight = Array.from({ length: n }, () =>
      fetch(`http://127.0.0.1:${ports.http}/slow`).then(
        async (r) => `${r.status} ${await r.text()}`,
        (e: Error) => `error ${e.message}`,
      ),
    );
    await sleep(500);
    const stopped = proxy.stop('SIGTERM', 30_000);
    await sleep(200);
    // no new connections once shutdown began
    const refused = await fetch(`http://127.0.0.1:${ports.http}/`).then(
      () => false,
      () => true,
    );
    const results = await Promise.all(inflight);
    const { code, ms } = await stopped;
    const completed = results.filter((r) => r === '200 slow done').length;
    figure('shutdown under load', {
      in_flight: n,
      completed,
      exit_code: String(code),
      exit_ms: ms,
      grace_ms: 5000,
      new_refused: refused,
    });
    expect(completed).toBe(n);
    expect(refused).toBe(true);
    expect(code).toBe(0);
    // the grace period is 5s and the requests need 2s: the process must be gone well before 5s + slack
    expect(ms).toBeLessThan(5000 + 3000);
  }, 120_000);
});
