/** @module layer4-support: shared helpers for the layer4 tests (certificates, sockets, bounded waits). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { pino } from 'pino';

/** Temp dirs made by these helpers; test files remove them in afterAll with `removeTempDirs`. */
const tempDirs: string[] = [];

/** Removes the certificate dirs this test file made. */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}

/** A quiet logger for tests (LOG_LEVEL=debug to see it). */
export const testLogger = pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });

export interface TestCert {
  dir: string;
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
  context: tls.SecureContext;
}

/** A self-signed EC certificate for `names` (SANs), made with the openssl CLI in a temp dir. */
export function makeCert(names: string[]): TestCert {
  const dir = tempDir('l4-cert-');
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    ],
    { stdio: 'ignore' },
  );
  const key = fs.readFileSync(keyFile);
  const cert = fs.readFileSync(certFile);
  return { dir, keyFile, certFile, key, cert, context: tls.createSecureContext({ key, cert }) };
}

/** A TCP server for tests; `onConn` gets each socket. */
export async function tcpServer(
  onConn: (s: net.Socket) => void,
): Promise<{ port: number; server: net.Server; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    server,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** An echo server that prefixes what it echoes with `tag`. */
export function taggedEcho(tag: string): Promise<{ port: number; close(): Promise<void> }> {
  return tcpServer((s) => {
    s.write(`${tag}:`);
    s.pipe(s);
  });
}

/** Connects and resolves with the socket. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Collects everything a stream sends until it ends or closes (bounded by `ms`). */
export function readAll(s: NodeJS.ReadableStream & { destroy(): void }, ms = 10_000): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      finish();
    }, ms);
    const finish = (): void => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    };
    s.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    s.on('end', finish);
    s.on('close', finish);
    s.on('error', () => undefined);
  });
}

/** Reads until `n` bytes arrived (or the stream ends / `ms` passes). */
export function readBytes(s: NodeJS.ReadableStream, n: number, ms = 10_000): Promise<Buffer> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (): void => {
      clearTimeout(timer);
      s.off('data', onData);
      resolve(buf);
    };
    const timer = setTimeout(done, ms);
    const onData = (c: Buffer): void => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= n) done();
    };
    s.on('data', onData);
    s.once('end', done);
    s.once('close', done);
  });
}

/** The bytes of a real ClientHello from Node's TLS client (captured by a throwaway server). */
export async function captureClientHello(options: tls.ConnectionOptions): Promise<Buffer> {
  let got!: (b: Buffer) => void;
  const hello = new Promise<Buffer>((r) => (got = r));
  const srv = await tcpServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
        got(buf);
        s.destroy();
      }
    });
  });
  const c = tls.connect({ ...options, port: srv.port, host: '127.0.0.1', rejectUnauthorized: false });
  c.on('error', () => undefined);
  const b = await hello;
  c.destroy();
  await srv.close();
  return b;
}

/** A CA and a client certificate it signed (for mTLS tests), made with the openssl CLI. */
export function makeClientCa(): { caFile: string; caPem: Buffer; clientKey: Buffer; clientCert: Buffer } {
  const dir = tempDir('l4-ca-');
  const f = (n: string): string => path.join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync(
    'openssl',
    ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Test Client CA'],
    { stdio: 'ignore' },
  );
  execFileSync('openssl', ['req', ...ec, '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=client'], {
    stdio: 'ignore',
  });
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      f('client.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f('client.pem'),
      '-days',
      '2',
    ],
    { stdio: 'ignore' },
  );
  return {
    caFile: f('ca.pem'),
    caPem: fs.readFileSync(f('ca.pem')),
    clientKey: fs.readFileSync(f('client.key')),
    clientCert: fs.readFileSync(f('client.pem')),
  };
}
