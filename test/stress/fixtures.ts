/** @module stress/fixtures: upstreams, certificates, configs and first-byte payloads the stress tests share. */
import crypto from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { captureClientHello, makeCert, type TestCert } from '../../packages/runtime/test/layer4-support.js';

export { makeCert, type TestCert };

/** A TCP server that echoes every byte (half-close aware: it ends when the client ends). */
export async function echoServer(
  opts: { tls?: TestCert } = {},
): Promise<{ port: number; conns(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const onConn = (s: net.Socket): void => {
    s.on('error', () => s.destroy());
    s.pipe(s);
  };
  const server = opts.tls
    ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onConn)
    : net.createServer({ allowHalfOpen: true }, onConn);
  // raw sockets, also those still in a TLS handshake, so close() never waits on one
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  });
  server.on('tlsClientError', () => undefined);
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
  return {
    port: (server.address() as net.AddressInfo).port,
    conns: () => sockets.size,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** A tls-app certificate entry for a test certificate. */
export const loadFiles = (c: TestCert) => ({ certificate: c.certFile, key: c.keyFile });

/** TLS round trip through the router: connect with SNI, send `msg`, expect it echoed. */
export function tlsEcho(
  port: number,
  servername: string,
  ca: Buffer,
  msg = 'ping',
  timeoutMs = 10_000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tls.connect({ port, host: '127.0.0.1', servername, ca });
    let got = '';
    const done = (ok: boolean): void => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.on('secureConnect', () => s.write(msg));
    s.on('data', (c: Buffer) => {
      got += c.toString();
      if (got === msg) done(true);
    });
    s.on('error', () => done(false));
    s.on('close', () => done(got === msg));
  });
}

/** Plain TCP round trip: send `msg`, expect it echoed. */
export function tcpEcho(port: number, msg: string, timeoutMs = 10_000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const done = (ok: boolean): void => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.on('connect', () => s.write(msg));
    s.on('data', (c: Buffer) => {
      got += c.toString();
      if (got === msg) done(true);
    });
    s.on('error', () => done(false));
    s.on('close', () => done(got === msg));
  });
}

/** A small seeded PRNG (mulberry32), so a failing run can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** PostgreSQL's SSLRequest. */
export const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

/** A protocol 3.0 StartupMessage. */
export function startupMessage(params: Record<string, string>): Buffer {
  const body = Buffer.concat([
    Buffer.from([0, 3, 0, 0]),
    ...Object.entries(params).map(([k, v]) => Buffer.from(`${k}\0${v}\0`)),
    Buffer.from([0]),
  ]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length + 4);
  return Buffer.concat([len, body]);
}

/** Real ClientHellos of Node's TLS client for a few server names and ALPN lists. */
export async function sampleHellos(names: string[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const servername of names) {
    out.push(await captureClientHello({ servername }));
    out.push(await captureClientHello({ servername, ALPNProtocols: ['postgresql'] }));
    out.push(await captureClientHello({ servername, ALPNProtocols: ['h2', 'http/1.1'], maxVersion: 'TLSv1.2' }));
  }
  return out;
}

export const randomBytes = (n: number): Buffer => crypto.randomBytes(n);
