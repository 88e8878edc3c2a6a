/**
 * @module stress/data-integrity: bytes each way through TLS termination and TLS passthrough
 * (layer4 app, and termination in the listener wrapper), with slow readers on both ends (real
 * backpressure) and a half-close: the client ends its side first and the upstream keeps sending half of
 * its data after that. SHA-256 on both ends must match, and the proxy's memory must stay bounded.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles, makeCert, type TestCert } from './fixtures.js';
import {
  figure,
  freePort,
  mib,
  removeDirs,
  scale,
  sleep,
  startProxy,
  stopAllProxies,
  type ProxyProcess,
} from './support.js';
import { removeTempDirs } from '../../packages/runtime/test/layer4-support.js';

const BYTES = scale(16 << 20, 1 << 30);
const CHUNK = 64 << 10;
/** Slow reader: a pause of this long after every MiB read. */
const PAUSE_MS = 10;

let cert: TestCert;
let proxy: ProxyProcess;
let l4Port: number;
let wrapperPort: number;
let plainUp: Awaited<ReturnType<typeof sinkSource>>;
let tlsUp: Awaited<ReturnType<typeof sinkSource>>;

/** What one end saw. */
interface Seen {
  sha: string;
  bytes: number;
}

/** Deterministic data: CHUNK-sized pieces of a random block, each stamped with its index. */
function makeSource(seed: string): (i: number) => Buffer {
  const base = crypto.createHash('sha512').update(seed).digest();
  const block = Buffer.alloc(CHUNK);
  for (let o = 0; o < CHUNK; o += base.length) base.copy(block, o);
  return (i) => {
    const b = Buffer.from(block);
    b.writeUInt32BE(i, 0);
    b.writeUInt32BE((i * 2654435761) >>> 0, CHUNK / 2);
    return b;
  };
}

/** Writes `total` bytes with backpressure; resolves with their hash. */
async function send(
  s: Duplex,
  total: number,
  from: number,
  to: number,
  src: (i: number) => Buffer,
  h: crypto.Hash,
): Promise<void> {
  for (let i = from; i < to && i * CHUNK < total; i++) {
    const c = src(i);
    h.update(c);
    if (!s.write(c))
      await new Promise<void>((r) => {
        const done = (): void => {
          s.off('drain', done);
          s.off('close', done);
          r();
        };
        s.once('drain', done);
        s.once('close', done);
      });
    if (s.destroyed) throw new Error('stream destroyed while sending');
  }
}

/** Reads to EOF slowly (a pause after every MiB), hashing. */
function receive(s: Duplex): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash('sha256');
    let bytes = 0;
    let sinceMark = 0;
    s.on('data', (c: Buffer) => {
      h.update(c);
      bytes += c.length;
      sinceMark += c.length;
      if (sinceMark >= 1 << 20) {
        sinceMark = 0;
        s.pause();
        setTimeout(() => s.resume(), PAUSE_MS);
      }
    });
    s.once('end', () => resolve({ sha: h.digest('hex'), bytes }));
    s.once('close', () => reject(new Error(`closed before EOF after ${bytes} bytes`)));
    s.once('error', (e) => reject(e));
  });
}

/**
 * The upstream: reads the client's bytes slowly to EOF, sends half of its own data at once and the other
 * half only after the client's EOF (so it must travel back over a half-closed connection), then ends.
 */
async function sinkSource(opts: { tls?: TestCert } = {}) {
  const results: Array<Promise<{ got: Seen; sent: Seen }>> = [];
  const onConn = (s: Duplex): void => {
    s.on('error', () => undefined);
    const sentHash = crypto.createHash('sha256');
    const src = makeSource('upstream');
    const half = Math.ceil(BYTES / CHUNK / 2);
    const got = receive(s);
    results.push(
      (async () => {
        await send(s, BYTES, 0, half, src, sentHash);
        const g = await got;
        await send(s, BYTES, half, Infinity, src, sentHash);
        s.end();
        return { got: g, sent: { sha: sentHash.digest('hex'), bytes: BYTES } };
      })(),
    );
  };
  const server = opts.tls
    ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert, allowHalfOpen: true }, onConn)
    : net.createServer({ allowHalfOpen: true }, onConn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    next: async () => {
      for (let i = 0; i < 100 && results.length === 0; i++) await sleep(50);
      return results.shift()!;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

beforeAll(async () => {
  cert = makeCert(['term.example.com', 'pass.example.com']);
  plainUp = await sinkSource();
  tlsUp = await sinkSource({ tls: cert });
  [l4Port, wrapperPort] = [await freePort(), await freePort()];
  const terminate = {
    match: [{ tls: { sni: ['term.example.com'] } }],
    handle: [{ handler: 'tls' }, { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${plainUp.port}`] }] }],
  };
  const passthrough = {
    match: [{ tls: { sni: ['pass.example.com'] } }],
    handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${tlsUp.port}`] }] }],
  };
  const config = {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'WARN' } } },
    apps: {
      // the key is loaded for term.example.com only; pass.example.com traffic is never decrypted
      tls: { certificates: { load_files: [loadFiles(cert)] } },
      layer4: { servers: { l4: { listen: [`127.0.0.1:${l4Port}`], routes: [terminate, passthrough] } } },
      http: {
        servers: {
          web: {
            listen: [`127.0.0.1:${wrapperPort}`],
            listener_wrappers: [{ wrapper: 'layer4', routes: [terminate, passthrough] }, { wrapper: 'tls' }],
            tls_connection_policies: [{}],
            automatic_https: { disable: true },
            routes: [{ handle: [{ handler: 'static_response', body: 'OK' }] }],
          },
        },
      },
    },
  };
  proxy = await startProxy(config, { waitPorts: [l4Port, wrapperPort] });
}, 120_000);

afterAll(async () => {
  await stopAllProxies();
  await Promise.all([plainUp?.close(), tlsUp?.close()]);
  removeTempDirs();
  removeDirs();
});

async function transfer(port: number, servername: string, up: typeof plainUp, label: string): Promise<void> {
  await sleep(300);
  const baseRss = proxy.rss();
  let peakRss = baseRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, proxy.rss());
  }, 100);
  const t0 = performance.now();
  try {
    // allowHalfOpen: node's tls.connect passes it on to the TLSSocket (its typings omit it)
    const s = tls.connect({
      port,
      host: '127.0.0.1',
      servername,
      ca: cert.cert,
      allowHalfOpen: true,
    } as tls.ConnectionOptions);
    await new Promise<void>((resolve, reject) => {
      s.once('secureConnect', () => resolve());
      s.once('error', reject);
    });
    const sentHash = crypto.createHash('sha256');
    const got = receive(s);
    const server = up.next();
    await send(s, BYTES, 0, Infinity, makeSource('client'), sentHash);
    s.end(); // half-close: the upstream still has half of its data to send
    const [clientGot, srv] = await Promise.all([got, server.then((p) => p)]);
    s.destroy();
    const seconds = (performance.now() - t0) / 1000;
    const sent = sentHash.digest('hex');
    figure(`data integrity ${label}`, {
      bytes_each_way: BYTES,
      up_sha_equal: srv.got.sha === sent,
      down_sha_equal: clientGot.sha === srv.sent.sha,
      up_bytes: srv.got.bytes,
      down_bytes: clientGot.bytes,
      mib_s: ((2 * BYTES) / 1048576 / seconds).toFixed(0),
      rss_base_mib: mib(baseRss),
      rss_peak_mib: mib(peakRss),
    });
    expect(srv.got.bytes).toBe(BYTES);
    expect(srv.got.sha).toBe(sent);
    expect(clientGot.bytes).toBe(BYTES);
    expect(clientGot.sha).toBe(srv.sent.sha);
    // bounded: the proxy buffers a window, not the transfer
    expect(peakRss - baseRss).toBeLessThan(128 << 20);
  } finally {
    clearInterval(sampler);
  }
}

describe('data integrity with backpressure and half-close', () => {
  const t = scale(120_000, 1_800_000);
  it('TLS termination (layer4 app)', () => transfer(l4Port, 'term.example.com', plainUp, 'termination'), t);
  it('TLS passthrough (layer4 app)', () => transfer(l4Port, 'pass.example.com', tlsUp, 'passthrough'), t);
  it(
    'TLS termination (listener wrapper in front of HTTPS)',
    () => transfer(wrapperPort, 'term.example.com', plainUp, 'termination via wrapper'),
    t,
  );
  it(
    'TLS passthrough (listener wrapper in front of HTTPS)',
    () => transfer(wrapperPort, 'pass.example.com', tlsUp, 'passthrough via wrapper'),
    t,
  );
});
