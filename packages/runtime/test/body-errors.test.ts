/**
 * Request bodies whose client went away before a handler read them: the reader must see an error (not wait
 * for the rest forever), and the FastCGI transport must drop its connection at once.
 */
import net from 'node:net';
import { finished, Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FastcgiTransport } from '../src/http/handlers/reverse-proxy/fastcgi.js';
import { Header } from '../src/http/header.js';
import { HttpRequest, type NodeRequest } from '../src/http/request.js';
import type { UpstreamHost } from '../src/http/handlers/reverse-proxy/upstream.js';

/** A node request whose client reset the connection (destroyed before its end, no 'error' listeners then). */
function abortedRequest(): NodeRequest {
  const raw = Object.assign(new Readable({ read() {} }), {
    method: 'POST',
    url: '/index.php',
    headers: { host: 'x', 'content-length': '100' },
    rawHeaders: ['Host', 'x', 'Content-Length', '100'],
    httpVersion: '1.1',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
  });
  raw.push('abc');
  raw.destroy();
  return raw as unknown as NodeRequest;
}

const conn = {
  remoteAddress: '127.0.0.1',
  remotePort: 1,
  localAddress: '127.0.0.1',
  localPort: 2,
  listenAddress: ':0',
};

/** Resolves with the error the stream finished with, or 'pending' when it had not finished within `ms`. */
function outcome(s: Readable, ms = 2000): Promise<Error | undefined | 'pending'> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve('pending'), ms);
    finished(s, (e) => {
      clearTimeout(t);
      resolve(e ?? undefined);
    });
  });
}

describe('request bodies of clients that already left', () => {
  it('the body fails instead of never ending', async () => {
    const r = new HttpRequest(abortedRequest(), conn, undefined);
    await new Promise((res) => setImmediate(res));
    const e = await outcome(r.body);
    expect(e).toBeInstanceOf(Error);
  });

  describe('fastcgi', () => {
    let server: net.Server;
    let open = 0;
    let accepted = 0;
    beforeAll(async () => {
      server = net.createServer((s) => {
        accepted++;
        open++;
        s.on('close', () => open--);
        s.on('error', () => undefined);
        s.resume();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('rejects and closes the connection when the body fails before the connection is up', async () => {
      const port = (server.address() as net.AddressInfo).port;
      const t = new FastcgiTransport({ root: '/tmp' }, {}, pino({ level: 'silent' }));
      const r = new HttpRequest(abortedRequest(), conn, undefined);
      const host = { dial: `127.0.0.1:${port}`, host: '127.0.0.1', port } as unknown as UpstreamHost;
      const res = await Promise.race([
        t
          .roundTrip(host, r, 'POST', '/index.php', new Header(), r.body, (m) => new Error(m))
          .then(
            () => 'answered',
            (e: unknown) => e,
          ),
        new Promise((ok) => setTimeout(() => ok('pending'), 2000)),
      ]);
      expect(res).toBeInstanceOf(Error);
      for (let i = 0; i < 50 && open > 0; i++) await new Promise((ok) => setTimeout(ok, 20));
      expect(open).toBe(0);
      expect(accepted).toBeLessThanOrEqual(1);
    });
  });
});
