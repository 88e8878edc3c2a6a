/**
 * @module stress/connection-load: many concurrent connections held open through the router:
 * half proxied by the layer4 app to a TCP upstream, half HTTPS keep-alive connections that the layer4
 * listener wrapper hands on to the http app. Every one must still work while all are held; the proxy's
 * RSS is reported and bounded, and its sockets are given back when the clients leave.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoServer, loadFiles, makeCert, type TestCert } from './fixtures.js';
import {
  fdsOf,
  figure,
  freePort,
  mib,
  NOFILE_HARD,
  pool,
  raiseNofile,
  removeDirs,
  scale,
  sleep,
  socketSummary,
  startProxy,
  stopAllProxies,
  type ProxyProcess,
} from './support.js';
import { removeTempDirs } from '../../packages/runtime/test/layer4-support.js';

let cert: TestCert;
let echo: Awaited<ReturnType<typeof echoServer>>;
let proxy: ProxyProcess;
let l4Port: number;
let httpsPort: number;

beforeAll(async () => {
  raiseNofile(NOFILE_HARD);
  cert = makeCert(['www.example.com']);
  echo = await echoServer();
  [l4Port, httpsPort] = [await freePort(), await freePort()];
  const config = {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'WARN' } } },
    apps: {
      tls: { certificates: { load_files: [loadFiles(cert)] } },
      layer4: {
        servers: {
          l4: {
            listen: [`127.0.0.1:${l4Port}`],
            routes: [{ handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] }] }],
          },
        },
      },
      http: {
        servers: {
          web: {
            listen: [`127.0.0.1:${httpsPort}`],
            listener_wrappers: [
              {
                wrapper: 'layer4',
                routes: [
                  {
                    match: [{ postgres: {} }],
                    handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] }],
                  },
                ],
              },
              { wrapper: 'tls' },
            ],
            tls_connection_policies: [{}],
            automatic_https: { disable: true },
            routes: [{ handle: [{ handler: 'static_response', body: 'OK' }] }],
          },
        },
      },
    },
  };
  proxy = await startProxy(config, { waitPorts: [l4Port, httpsPort] });
}, 120_000);

afterAll(async () => {
  await stopAllProxies();
  await echo?.close();
  removeTempDirs();
  removeDirs();
});

/** A client that keeps its connection and can check it still works. */
interface Held {
  check(i: number): Promise<boolean>;
  close(): void;
}

function waitFor(s: net.Socket, want: (got: string) => boolean, ms = 30_000): Promise<boolean> {
  return new Promise((resolve) => {
    let got = '';
    const done = (ok: boolean): void => {
      clearTimeout(t);
      s.off('data', onData);
      s.off('close', onClose);
      resolve(ok);
    };
    const t = setTimeout(() => done(false), ms);
    const onData = (c: Buffer): void => {
      got += c.toString('latin1');
      if (want(got)) done(true);
    };
    const onClose = (): void => done(false);
    s.on('data', onData);
    s.once('close', onClose);
  });
}

async function holdTcp(): Promise<Held | undefined> {
  const s = net.connect(l4Port, '127.0.0.1');
  s.on('error', () => undefined);
  const check = async (i: number): Promise<boolean> => {
    const msg = `ping ${i};`;
    const p = waitFor(s, (g) => g.endsWith(msg));
    s.write(msg);
    return p;
  };
  await new Promise((r) => {
    s.once('connect', r);
    s.once('error', r);
  });
  if (await check(-1)) return { check, close: () => s.destroy() };
  s.destroy();
  return undefined;
}

async function holdHttps(): Promise<Held | undefined> {
  const s = tls.connect({
    port: httpsPort,
    host: '127.0.0.1',
    servername: 'www.example.com',
    ca: cert.cert,
    ALPNProtocols: ['http/1.1'],
  });
  s.on('error', () => undefined);
  const check = async (): Promise<boolean> => {
    const p = waitFor(s, (g) => g.includes('\r\n\r\nOK'));
    s.write('GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n');
    return p;
  };
  await new Promise((r) => {
    s.once('secureConnect', r);
    s.once('error', r);
  });
  if (await check()) return { check, close: () => s.destroy() };
  s.destroy();
  return undefined;
}

describe('connection load through the router', () => {
  it('holds every connection open and working, with bounded RSS, and gives the sockets back', async () => {
    // Each proxied connection costs the proxy two descriptors and this process two (client and upstream),
    // so with a hard limit of 20000 descriptors per process the long run holds 5000 of each kind.
    const perKind = Math.min(scale(500, 5000), Math.floor((NOFILE_HARD - 500) / 3));
    await sleep(500);
    const baseRss = proxy.rss();
    const baseFds = fdsOf(proxy.pid);
    const t0 = performance.now();
    const held = await pool(perKind * 2, 200, (i) => (i % 2 ? holdTcp() : holdHttps()));
    const setupS = (performance.now() - t0) / 1000;
    const ok = held.filter((h): h is Held => h !== undefined);
    await sleep(2000);
    const heldRss = proxy.rss();
    const heldFds = fdsOf(proxy.pid);
    // all of them, at once, still answer
    const checks = await pool(ok.length, 500, (i) => ok[i]!.check(i));
    const working = checks.filter(Boolean).length;
    const peakRss = Math.max(heldRss, proxy.rss());
    for (const h of ok) h.close();
    let fds = fdsOf(proxy.pid);
    for (let i = 0; i < 100 && fds > baseFds + 4; i++) {
      await sleep(100);
      fds = fdsOf(proxy.pid);
    }
    const perConn = (peakRss - baseRss) / Math.max(1, ok.length);
    figure('connection load', {
      held: ok.length,
      tcp_proxied: perKind,
      https_keepalive: perKind,
      setup_s: setupS.toFixed(1),
      working_while_held: working,
      failures: perKind * 2 - working,
      proxy_fds_held: heldFds,
      rss_base_mib: mib(baseRss),
      rss_held_mib: mib(peakRss),
      rss_per_conn_kib: (perConn / 1024).toFixed(1),
      fds_after: fds,
      fds_base: baseFds,
    });
    expect(ok.length).toBe(perKind * 2);
    expect(working).toBe(perKind * 2);
    expect(proxy.alive()).toBe(true);
    // bounded: well under 100 KiB per held connection (TLS included)
    expect(perConn).toBeLessThan(100 * 1024);
    if (fds > baseFds + 4) console.log(`proxy sockets left: ${socketSummary(proxy.pid)}`);
    expect(fds).toBeLessThanOrEqual(baseFds + 4);
  }, 1_800_000);
});
