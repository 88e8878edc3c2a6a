/**
 * A closed HTTP/1 connection is garbage: nothing the front door set up while closing it (the fallback that
 * drops a peer that never reads) keeps the socket or the connection's state alive once it closed.
 * v8.queryObjects counts live instances after a full garbage collection.
 */
import http from 'node:http';
import net from 'node:net';
import v8 from 'node:v8';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { H1Connection } from '../src/http/h1/connection.js';
import { H1Engine } from '../src/http/h1/engine.js';
import { onClientError } from '../src/http/h1/front-door.js';

const log = pino({ level: 'silent' });
const N = 20;

/** Servers of the current test, closed after it. */
const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Listens on loopback; resolves the port and a promise of `n` server-side sockets having closed. */
async function listen(server: net.Server, n: number): Promise<{ port: number; allClosed: Promise<void> }> {
  let closed = 0;
  let done!: () => void;
  const allClosed = new Promise<void>((r) => {
    done = r;
  });
  server.on('connection', (s: net.Socket) =>
    s.once('close', () => {
      if (++closed === n) done();
    }),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, allClosed };
}

/** Sends bytes and reads until the server closes. */
function send(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    let out = '';
    c.on('error', () => {});
    c.on('data', (d) => {
      out += d.toString('latin1');
    });
    c.on('close', () => resolve(out));
    c.on('connect', () => c.end(bytes));
  });
}

/** Lets pending close events and next-tick work run before counting. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('closed HTTP/1 connections are released', () => {
  it('by the HTTP/1 engine, after a refusal and after a "Connection: close" answer', async () => {
    const before = v8.queryObjects(H1Connection, { format: 'count' });
    const engine = new H1Engine({
      maxHeadBytes: (1 << 20) + 4096,
      readHeaderTimeoutMs: 0,
      readTimeoutMs: 0,
      idleTimeoutMs: 0,
      writeTimeoutMs: 0,
      onRequest: (_req, res) => res.end('ok'),
      onUpgrade: (_req, sock) => sock.destroy(),
      log,
    });
    const { port, allClosed } = await listen(
      net.createServer({ allowHalfOpen: true }, (s) => engine.connection(s)),
      2 * N,
    );
    const refused = await Promise.all(
      Array.from({ length: N }, () => send(port, 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n')),
    );
    const answered = await Promise.all(
      Array.from({ length: N }, () => send(port, 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')),
    );
    expect(refused.every((o) => o.startsWith('HTTP/1.1 400 '))).toBe(true);
    expect(answered.every((o) => o.startsWith('HTTP/1.1 200 ') && o.endsWith('ok'))).toBe(true);
    await allClosed;
    await settle();
    expect(v8.queryObjects(H1Connection, { format: 'count' })).toBe(before);
  });

  it("by node's parser path (PROXY_H1=node), after node's parser gave up", async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    server.on('clientError', onClientError(log));
    const { port, allClosed } = await listen(server, N);
    const before = v8.queryObjects(net.Socket, { format: 'count' });
    const outs = await Promise.all(
      Array.from({ length: N }, () => send(port, 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n')),
    );
    expect(outs.every((o) => o.startsWith('HTTP/1.1 400 '))).toBe(true);
    await allClosed;
    await settle();
    // The clients' sockets are gone too; what is left is what the server still holds.
    expect(v8.queryObjects(net.Socket, { format: 'count' })).toBeLessThanOrEqual(before);
  });
});
