/**
 * Requests that once ended the whole `proxy run` process (an 'error' event nobody listened to, a rejected
 * promise nobody caught). Each runs against the real CLI in a child process, so an exit is seen as one; after
 * each case the process must still be running and still answer.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fdsOf,
  freePort,
  removeDirs,
  sleep,
  startProxy,
  stopAllProxies,
  tempDir,
  type ProxyProcess,
} from './stress/support.js';

/**
 * Sends raw bytes, collects everything until the server closes (or `ms` pass: then `hung` is true); or resets
 * or closes right after sending.
 */
export function rawExchange(
  port: number,
  parts: Array<Buffer | string>,
  opts: { ms?: number; gapMs?: number; endAfter?: boolean; resetAfter?: boolean; closeAfter?: boolean } = {},
): Promise<{ data: string; hung: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    let finished = false;
    const done = (hung: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(t);
      s.destroy();
      resolve({ data, hung });
    };
    const t = setTimeout(() => done(true), opts.ms ?? 5000);
    s.on('data', (c: Buffer) => {
      data += c.toString('latin1');
    });
    s.on('error', () => done(false));
    s.on('close', () => done(false));
    s.on('connect', async () => {
      for (const p of parts) {
        if (s.destroyed) return;
        s.write(p);
        if (opts.gapMs) await sleep(opts.gapMs);
      }
      if (opts.resetAfter) {
        s.resetAndDestroy();
        done(false);
      } else if (opts.closeAfter) {
        s.destroy();
        done(false);
      } else if (opts.endAfter) s.end();
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const chunked = (body: string): string => `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;

let proxy: ProxyProcess;
let port: number;
let upstream: http.Server;
/** A FastCGI server that accepts and never answers (an application busy reading stdin). */
let fcgi: net.Server;
const fcgiConns = new Set<net.Socket>();
let fcgiAccepted = 0;
/** /flood responses the upstream is still sending. */
let floodOpen = 0;
/** Bytes the upstream's /flood response got out so far. */
let flooded = 0;
/** Upgraded connections the upstream holds. */
let wsOpen = 0;
/** Event streams the upstream is serving. */
let sseOpen = 0;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    if (req.url?.endsWith('/break')) {
      // a response the upstream breaks off: the proxy aborts the client connection
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.destroy(), 200);
      return;
    }
    if (req.url?.endsWith('/flood')) {
      floodOpen++;
      res.on('close', () => {
        floodOpen--;
      });
      // 128 MiB of text zlib cannot shrink (a random block longer than its window), written as fast as
      // the proxy takes it
      const block = Buffer.from(Array.from({ length: 65536 }, () => 97 + Math.floor(Math.random() * 26)));
      res.writeHead(200, { 'content-type': 'text/plain' });
      flooded = 0;
      const pump = (): void => {
        while (flooded < 128 << 20 && !res.destroyed) {
          flooded += block.length;
          if (!res.write(block)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    if (req.url?.endsWith('/sse')) {
      // an endless event stream: only the proxy closing the request ends it
      sseOpen++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(() => res.write('data: tick\n\n'), 20);
      res.on('close', () => {
        clearInterval(t);
        sseOpen--;
      });
      return;
    }
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
    });
    req.on('end', () => res.end(`upstream read ${n}`));
    req.on('error', () => res.destroy());
  });
  upstream.on('upgrade', (_req: http.IncomingMessage, sock: net.Socket) => {
    // switches protocols only after a while, then sends a tick every 20 ms until writing fails (the proxy
    // closed the connection: its half-close alone does not stop a server that keeps talking)
    wsOpen++;
    let t: NodeJS.Timeout | undefined;
    const gone = (): void => {
      if (t) clearInterval(t);
      t = undefined;
      sock.destroy();
    };
    sock.on('error', gone);
    sock.on('close', () => {
      gone();
      wsOpen--;
    });
    sock.resume();
    setTimeout(() => {
      if (sock.destroyed) return;
      sock.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      t = setInterval(() => sock.write('tick'), 20);
    }, 300);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upPort = (upstream.address() as net.AddressInfo).port;
  fcgi = net.createServer((sock) => {
    fcgiConns.add(sock);
    fcgiAccepted++;
    sock.on('error', () => undefined);
    sock.on('close', () => fcgiConns.delete(sock));
    sock.resume();
  });
  await new Promise<void>((r) => fcgi.listen(0, '127.0.0.1', r));
  const fcgiPort = (fcgi.address() as net.AddressInfo).port;
  const root = tempDir('no-crash-');
  fs.writeFileSync(path.join(root, 'index.php'), '<?php echo 1;');
  port = await freePort();
  proxy = await startProxy(
    `{
	admin off
}
http://:${port} {
	bind 127.0.0.1
	root * ${root}
	handle_path /fcgi-dead/* {
		php_fastcgi 127.0.0.1:1 {
			dial_timeout 300ms
		}
	}
	handle_path /fcgi-mute/* {
		php_fastcgi 127.0.0.1:${fcgiPort}
	}
	route /limit/* {
		request_body {
			max_size 10B
		}
		handle /limit/respond {
			respond "ok"
		}
		reverse_proxy 127.0.0.1:${upPort}
	}
	handle /enc/* {
		encode gzip
		reverse_proxy 127.0.0.1:${upPort}
	}
	respond "alive"
}
`,
    { waitPorts: [port] },
  );
}, 60_000);

afterAll(async () => {
  await stopAllProxies();
  removeDirs();
  await new Promise((r) => upstream.close(r));
  for (const c of fcgiConns) c.destroy();
  await new Promise((r) => fcgi.close(r));
});

async function stillServing(): Promise<void> {
  await sleep(100);
  expect(proxy.alive(), proxy.logs()).toBe(true);
  // the CLI's last-resort guard keeps the process up: what it caught is as much a failure as an exit
  expect(proxy.logs()).not.toMatch(/uncaught exception|unhandled rejection/);
  expect((await get(port, '/')).body).toBe('alive');
}

describe('no request ends the process', () => {
  it('request_body max_size with respond: a chunked body over the limit is answered like Caddy (200), unread', async () => {
    const big = 'a'.repeat(100);
    const res = await rawExchange(port, [
      `POST /limit/respond HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked(big)}`,
    ]);
    expect(res.hung).toBe(false);
    expect(res.data).toMatch(/^HTTP\/1\.1 200 /);
    await stillServing();
  });

  it('request_body max_size with respond: a Content-Length over the limit is not an error by itself (Caddy: 200)', async () => {
    const res = await rawExchange(port, [
      'POST /limit/respond HTTP/1.1\r\nHost: x\r\nContent-Length: 31\r\nConnection: close\r\n\r\n',
      'b'.repeat(31),
    ]);
    expect(res.data).toMatch(/^HTTP\/1\.1 200 /);
    await stillServing();
  });

  it('request_body max_size with a handler that reads: 413 and the connection closes (the rest is unread)', async () => {
    const res = await rawExchange(port, [
      `POST /limit/up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('c'.repeat(100))}`,
    ]);
    expect(res.hung).toBe(false);
    expect(res.data).toMatch(/^HTTP\/1\.1 413 /);
    expect(res.data.toLowerCase()).toContain('connection: close');
    const small = await rawExchange(port, [
      `POST /limit/up HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nsmall`,
    ]);
    expect(small.data).toContain('upstream read 5');
    await stillServing();
  });

  it('a client that resets mid-body (limit not reached yet)', async () => {
    for (const path of ['/limit/respond', '/limit/up']) {
      await rawExchange(port, [`POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n`], {
        resetAfter: true,
      });
    }
    await stillServing();
  });

  it('php_fastcgi to an unreachable server: 502, and the dial timer that fires later ends nothing', async () => {
    const res = await rawExchange(port, ['GET /fcgi-dead/index.php HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    expect(res.data).toMatch(/^HTTP\/1\.1 502 /);
    await sleep(600);
    await stillServing();
  });

  it('php_fastcgi: a client that leaves mid-body frees the FastCGI connection (the application would wait for stdin forever)', async () => {
    for (const resetAfter of [true, false]) {
      const before = fcgiAccepted;
      // More than the 4 KiB fastcgi reads ahead (request_buffers), so the exchange starts before the body ends.
      await rawExchange(
        port,
        [`POST /fcgi-mute/index.php HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${'a'.repeat(6000)}`],
        { resetAfter, closeAfter: !resetAfter },
      );
      for (let i = 0; i < 50 && fcgiAccepted === before; i++) await sleep(20);
    }
    expect(fcgiAccepted).toBeGreaterThan(0);
    for (let i = 0; i < 50 && fcgiConns.size > 0; i++) await sleep(100);
    expect(fcgiConns.size).toBe(0);
    await stillServing();
  });

  it('reverse_proxy: a client that leaves an endless response ends the upstream request too', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/limit/sse', agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.setTimeout(5000, () => reject(new Error('no event arrived')));
    });
    for (let i = 0; i < 100 && sseOpen > 0; i++) await sleep(50);
    expect(sseOpen).toBe(0);
    await stillServing();
  });

  it('encode waits for the client: a client that reads nothing does not get the whole response compressed into memory', async () => {
    flooded = 0;
    const sock = net.connect(port, '127.0.0.1');
    sock.on('error', () => undefined);
    sock.pause();
    sock.write('GET /enc/flood HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n');
    for (let i = 0; i < 100 && flooded === 0; i++) await sleep(20);
    // until the flow stops (socket buffers full) for a second, or everything went out; bounded
    let last = -1;
    let still = 0;
    for (let i = 0; i < 150 && still < 5 && flooded < 128 << 20; i++) {
      await sleep(200);
      still = flooded === last ? still + 1 : 0;
      last = flooded;
    }
    const taken = flooded;
    sock.destroy();
    expect(taken).toBeLessThan(48 << 20);
    await stillServing();
  });

  it("a request line claiming HTTP/2.0 over HTTP/1 gets Go's 505, and nothing streams to it", async () => {
    const res = await rawExchange(port, ['GET /limit/sse HTTP/2.0\r\nHost: x\r\n\r\n'], { ms: 1000 });
    expect(res.data).toMatch(/^HTTP\/1\.1 505 /);
    for (let i = 0; i < 100 && sseOpen > 0; i++) await sleep(50);
    await stillServing();
  });

  it('websocket: a client that leaves while the upstream is still switching protocols does not leave the upstream open', async () => {
    await rawExchange(
      port,
      ['GET /limit/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
      { closeAfter: true },
    );
    await sleep(600);
    for (let i = 0; i < 50 && wsOpen > 0; i++) await sleep(50);
    expect(wsOpen).toBe(0);
    await stillServing();
  });

  it('pipelining: a response queued behind one that breaks the connection stops its upstream too', async () => {
    // node tells a queued response nothing when the connection closes; it waited for 'drain' forever
    await rawExchange(port, [
      'GET /limit/break HTTP/1.1\r\nHost: x\r\n\r\nGET /limit/flood HTTP/1.1\r\nHost: x\r\n\r\n',
    ]);
    for (let i = 0; i < 100 && floodOpen > 0; i++) await sleep(50);
    expect(floodOpen).toBe(0);
    await stillServing();
  });

  it('a malformed request gets 400 and its connection is closed for good, also when the client closes first', async () => {
    await sleep(300);
    const before = fdsOf(proxy.pid);
    await Promise.all(
      Array.from({ length: 10 }, () => rawExchange(port, ['GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'])),
    );
    // the same after a good request on the connection
    await Promise.all(
      Array.from({ length: 10 }, () =>
        rawExchange(port, ['GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n']),
      ),
    );
    let fds = fdsOf(proxy.pid);
    for (let i = 0; i < 40 && fds > before + 2; i++) {
      await sleep(100);
      fds = fdsOf(proxy.pid);
    }
    expect(fds).toBeLessThanOrEqual(before + 2);
    await stillServing();
  });

  it('an Upgrade request answered without switching protocols: its connection is closed for good once the client leaves', async () => {
    await sleep(300);
    const before = fdsOf(proxy.pid);
    // with a body: bytes node leaves unread on the connection it handed over
    const upgrade = `POST / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 70000\r\n\r\n${'b'.repeat(70000)}`;
    // clients that read the answer and then close, and clients that close before it comes
    await Promise.all(Array.from({ length: 10 }, () => rawExchange(port, [upgrade])));
    await Promise.all(Array.from({ length: 10 }, () => rawExchange(port, [upgrade], { closeAfter: true })));
    let fds = fdsOf(proxy.pid);
    for (let i = 0; i < 40 && fds > before + 2; i++) {
      await sleep(100);
      fds = fdsOf(proxy.pid);
    }
    expect(fds).toBeLessThanOrEqual(before + 2);
    await stillServing();
  });
});
