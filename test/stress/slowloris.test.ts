/**
 * @module stress/slowloris: clients that send one byte per second — while the layer4
 * router is matching, during the TLS handshake, and in the HTTP headers — are cut at their timeouts while
 * 100 well-behaved HTTPS clients keep being served.
 */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles, makeCert, sampleHellos, type TestCert } from './fixtures.js';
import {
  figure,
  freePort,
  removeDirs,
  scale,
  sleep,
  startProxy,
  stopAllProxies,
  type ProxyProcess,
} from './support.js';
import { removeTempDirs } from '../../packages/runtime/test/layer4-support.js';

const MATCHING_S = 2;
const HEADER_S = 3;
/** A slow client gives up after this long; being cut later than this is a failure. */
const GIVE_UP_MS = 30_000;

let cert: TestCert;
let proxy: ProxyProcess;
let wrapped: number;
let direct: number;
let hello: Buffer;

beforeAll(async () => {
  cert = makeCert(['www.example.com', 'pg.example.com']);
  [wrapped, direct] = [await freePort(), await freePort()];
  const server = (port: number, wrappers: unknown[]) => ({
    listen: [`127.0.0.1:${port}`],
    listener_wrappers: [...wrappers, { wrapper: 'tls' }],
    tls_connection_policies: [{}],
    automatic_https: { disable: true },
    read_header_timeout: `${HEADER_S}s`,
    routes: [{ handle: [{ handler: 'static_response', body: 'OK' }] }],
  });
  const config = {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'ERROR' } } },
    apps: {
      tls: { certificates: { load_files: [loadFiles(cert)] } },
      http: {
        servers: {
          // the headline: a layer4 router in front of HTTPS
          wrapped: server(wrapped, [
            {
              wrapper: 'layer4',
              matching_timeout: `${MATCHING_S}s`,
              routes: [
                {
                  match: [{ tls: { sni: ['pg.example.com'], alpn: ['postgresql'] } }],
                  handle: [{ handler: 'tls' }, { handler: 'proxy', upstreams: [{ dial: ['127.0.0.1:1'] }] }],
                },
              ],
            },
          ]),
          // plain HTTPS: a slow ClientHello is a slow TLS handshake
          direct: server(direct, []),
        },
      },
    },
  };
  proxy = await startProxy(config, { waitPorts: [wrapped, direct] });
  hello = (await sampleHellos(['www.example.com']))[0]!;
}, 120_000);

afterAll(async () => {
  await stopAllProxies();
  removeTempDirs();
  removeDirs();
});

/** Sends `bytes` one per second on `s`; resolves with how long until the server closed it (or undefined). */
function trickle(s: net.Socket | tls.TLSSocket, bytes: Buffer): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let i = 0;
    let done = false;
    const finish = (cut: boolean): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(giveUp);
      s.destroy();
      resolve(cut ? performance.now() - t0 : undefined);
    };
    const timer = setInterval(() => {
      if (i < bytes.length && s.writable) s.write(bytes.subarray(i, ++i));
    }, 1000);
    const giveUp = setTimeout(() => finish(false), GIVE_UP_MS);
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => finish(true));
    s.on('end', () => finish(true));
  });
}

const raw = (port: number): Promise<net.Socket> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => undefined);
  });

async function slowHeaders(port: number): Promise<number | undefined> {
  const s = tls.connect({
    port,
    host: '127.0.0.1',
    servername: 'www.example.com',
    ca: cert.cert,
    ALPNProtocols: ['http/1.1'],
  });
  s.on('error', () => undefined);
  await new Promise((r) => {
    s.once('secureConnect', r);
    s.once('close', r);
  });
  s.write('GET / HTTP/1.1\r\nHost: www.example.com\r\n');
  return trickle(s, Buffer.from('X-Slow: ' + 'a'.repeat(200) + '\r\n\r\n'));
}

describe('slowloris', () => {
  it('cuts slow clients at their timeouts while 100 good clients are served', async () => {
    const perKind = scale(10, 100);
    let stop = false;
    let served = 0;
    let failed = 0;
    const agent = new https.Agent({ keepAlive: false });
    const goodClient = async (i: number): Promise<void> => {
      while (!stop) {
        const ok = await new Promise<boolean>((resolve) => {
          const req = https.get(
            {
              host: '127.0.0.1',
              port: i % 2 ? wrapped : direct,
              servername: 'www.example.com',
              headers: { host: 'www.example.com' },
              ca: cert.cert,
              agent,
            },
            (res) => {
              let b = '';
              res.on('data', (c: Buffer) => (b += c.toString()));
              res.on('end', () => resolve(res.statusCode === 200 && b === 'OK'));
              res.on('error', () => resolve(false));
            },
          );
          req.setTimeout(20_000, () => req.destroy());
          req.on('error', () => resolve(false));
        });
        if (ok) served++;
        else failed++;
        await sleep(200);
      }
    };
    const good = Promise.all(Array.from({ length: 100 }, (_, i) => goodClient(i)));
    await sleep(500);
    const [matching, handshake, headers] = await Promise.all([
      Promise.all(Array.from({ length: perKind }, async () => trickle(await raw(wrapped), hello))),
      Promise.all(Array.from({ length: perKind }, async () => trickle(await raw(direct), hello))),
      Promise.all(Array.from({ length: perKind }, (_, i) => slowHeaders(i % 2 ? wrapped : direct))),
    ]);
    stop = true;
    await good;
    const stats = (xs: Array<number | undefined>) => {
      const cut = xs.filter((x): x is number => x !== undefined);
      return { cut: cut.length, max_s: cut.length ? (Math.max(...cut) / 1000).toFixed(1) : '-' };
    };
    const m = stats(matching);
    const h = stats(handshake);
    const hd = stats(headers);
    figure('slowloris', {
      slow_per_kind: perKind,
      matching_cut: m.cut,
      matching_max_s: m.max_s,
      matching_timeout_s: MATCHING_S,
      handshake_cut: h.cut,
      handshake_max_s: h.max_s,
      headers_cut: hd.cut,
      headers_max_s: hd.max_s,
      header_timeout_s: HEADER_S,
      good_served: served,
      good_failed: failed,
    });
    expect(m.cut).toBe(perKind);
    expect(h.cut).toBe(perKind);
    expect(hd.cut).toBe(perKind);
    expect(failed).toBe(0);
    expect(served).toBeGreaterThan(100);
    expect(proxy.alive()).toBe(true);
  }, 180_000);
});
