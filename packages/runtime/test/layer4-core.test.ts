/** @module layer4-core: layer4 connection core over real sockets: matching loop, timeouts, buffer cap, chains, listener wrapper, config errors. */
import http2 from 'node:http2';
import https from 'node:https';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLayer4ListenerWrapper, startLayer4App, type Layer4AppHandle } from '@proxy/runtime';
import {
  captureClientHello,
  connect,
  makeCert,
  readAll,
  readBytes,
  taggedEcho,
  tcpServer,
  testLogger,
  type TestCert,
  removeTempDirs,
} from './layer4-support.js';

const ms = (n: number): number => n * 1e6;
let cert: TestCert;
let echoA: { port: number; close(): Promise<void> };
let echoB: { port: number; close(): Promise<void> };

beforeAll(async () => {
  cert = makeCert(['a.example.com', 'b.example.com', 'localhost']);
  echoA = await taggedEcho('A');
  echoB = await taggedEcho('B');
});
afterAll(async () => {
  removeTempDirs();
  await echoA.close();
  await echoB.close();
});

const proxyTo = (port: number) => ({ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${port}`] }] });

async function app(
  routes: unknown[],
  extra: Record<string, unknown> = {},
): Promise<Layer4AppHandle & { port: number }> {
  const h = await startLayer4App(
    { servers: { s: { listen: ['127.0.0.1:0'], routes, ...extra } } },
    { logger: testLogger, secureContextFor: (name) => (name === 'nocert.example.com' ? undefined : cert.context) },
  );
  return Object.assign(h, { port: h.addresses['s']![0]!.port });
}

/** Waits for the socket to close; 'open' if it is still open after `ms`. */
function closes(s: net.Socket, ms = 10_000): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve('open'), ms);
    s.on('data', () => undefined);
    s.once('close', () => {
      clearTimeout(t);
      resolve('closed');
    });
  });
}

/** Re-frames a single-record ClientHello as several records of at most `size` bytes each. */
function fragmentRecords(hello: Buffer, size: number): Buffer {
  const body = hello.subarray(5, 5 + hello.readUInt16BE(3));
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) {
    const part = body.subarray(i, i + size);
    const h = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    h.writeUInt16BE(part.length, 3);
    out.push(h, part);
  }
  return Buffer.concat(out);
}

describe('layer4 app: routing', () => {
  it('routes by the first bytes, a catch-all after a data-hungry route waits for it', async () => {
    const a = await app([{ match: [{ ssh: {} }], handle: [proxyTo(echoA.port)] }, { handle: [proxyTo(echoB.port)] }]);
    try {
      const s1 = await connect(a.port);
      s1.write('SSH-2.0-test\r\n');
      expect((await readBytes(s1, 16)).toString()).toBe('A:SSH-2.0-test\r\n');
      s1.destroy();
      const s2 = await connect(a.port);
      s2.write('hello');
      expect((await readBytes(s2, 7)).toString()).toBe('B:hello');
      s2.end();
      expect((await readAll(s2)).length).toBe(0); // half-close propagated: the echo ends too
    } finally {
      await a.close();
    }
  });

  it('matches a ClientHello split over several TCP segments and several TLS records', async () => {
    const a = await app([
      { match: [{ tls: { sni: ['b.example.com'] } }], handle: [proxyTo(echoB.port)] },
      { match: [{ tls: {} }], handle: [proxyTo(echoA.port)] },
    ]);
    try {
      const hello = await captureClientHello({ servername: 'b.example.com' });
      const fragmented = fragmentRecords(hello, 100);
      expect(fragmented.length).toBeGreaterThan(hello.length);
      const s = await connect(a.port);
      s.setNoDelay(true);
      for (let i = 0; i < fragmented.length; i += 150) {
        s.write(fragmented.subarray(i, i + 150));
        await new Promise((r) => setTimeout(r, 5));
      }
      const got = await readBytes(s, 2 + fragmented.length);
      expect(got.subarray(0, 2).toString()).toBe('B:');
      expect(got.subarray(2).equals(fragmented)).toBe(true); // the peeked bytes are replayed, not consumed
      s.destroy();
      const s2 = await connect(a.port);
      s2.write(await captureClientHello({ servername: 'a.example.com' }));
      expect((await readBytes(s2, 2)).subarray(0, 2).toString()).toBe('A:');
      s2.destroy();
    } finally {
      await a.close();
    }
  });

  it('closes a client that stalls mid-ClientHello at matching_timeout while serving others', async () => {
    const a = await app([{ match: [{ tls: {} }], handle: [proxyTo(echoA.port)] }], { matching_timeout: ms(300) });
    try {
      const hello = await captureClientHello({ servername: 'a.example.com' });
      const slow = await connect(a.port);
      slow.write(hello.subarray(0, Math.floor(hello.length / 2)));
      const slowClosed = closes(slow);
      const fast = await connect(a.port);
      fast.write(hello);
      const firstBytes = await readBytes(fast, 2 + hello.length);
      expect(firstBytes.subarray(0, 2).toString()).toBe('A:');
      // the proxied session outlives the matching timeout: the deadline is cleared once matched
      await new Promise((r) => setTimeout(r, 500));
      fast.write('more');
      expect((await readBytes(fast, 4)).toString()).toBe('more');
      expect(await slowClosed).toBe('closed');
      fast.destroy();
    } finally {
      await a.close();
    }
  });

  it('closes a connection whose matching bytes exceed the buffer cap', async () => {
    const a = await app([{ match: [{ http: [{ host: ['x'] }] }], handle: [proxyTo(echoA.port)] }]);
    try {
      const s = await connect(a.port);
      const closed = closes(s);
      s.write(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}`);
      expect(await closed).toBe('closed');
    } finally {
      await a.close();
    }
  });

  it('runs non-terminal handler chains: tls, then later routes match the decrypted bytes', async () => {
    const a = await app([
      { match: [{ tls: {} }], handle: [{ handler: 'tls' }] },
      { match: [{ http: [{ host: ['a.example.com'] }] }], handle: [proxyTo(echoA.port)] },
      { match: [{ ssh: {} }], handle: [{ handler: 'subroute', routes: [{ handle: [proxyTo(echoB.port)] }] }] },
    ]);
    try {
      const c = tls.connect({ port: a.port, host: '127.0.0.1', servername: 'a.example.com', ca: cert.cert });
      await new Promise((r) => c.once('secureConnect', r));
      expect(c.alpnProtocol).toBe(false); // client offered none
      c.write('GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n');
      expect((await readBytes(c, 2)).toString()).toBe('A:');
      c.destroy();
      const c2 = tls.connect({ port: a.port, host: '127.0.0.1', servername: 'b.example.com', ca: cert.cert });
      await new Promise((r) => c2.once('secureConnect', r));
      c2.write('SSH-2.0-x\r\n');
      expect((await readBytes(c2, 13)).toString()).toBe('B:SSH-2.0-x\r\n');
      c2.destroy();
    } finally {
      await a.close();
    }
  });

  it('picks ALPN per policy and fails the handshake when nothing overlaps', async () => {
    const a = await app([
      {
        match: [{ tls: {} }],
        handle: [
          {
            handler: 'tls',
            connection_policies: [
              { match: { sni: ['a.example.com'] }, alpn: ['postgresql'] },
              { alpn: ['h2', 'http/1.1'] },
            ],
          },
          proxyTo(echoA.port),
        ],
      },
    ]);
    try {
      const pg = tls.connect({
        port: a.port,
        host: '127.0.0.1',
        servername: 'a.example.com',
        ca: cert.cert,
        ALPNProtocols: ['postgresql'],
      });
      await new Promise((r) => pg.once('secureConnect', r));
      expect(pg.alpnProtocol).toBe('postgresql');
      pg.destroy();
      const h2 = tls.connect({
        port: a.port,
        host: '127.0.0.1',
        servername: 'b.example.com',
        ca: cert.cert,
        ALPNProtocols: ['http/1.1'],
      });
      await new Promise((r) => h2.once('secureConnect', r));
      expect(h2.alpnProtocol).toBe('http/1.1');
      h2.destroy();
      const bad = tls.connect({
        port: a.port,
        host: '127.0.0.1',
        servername: 'b.example.com',
        ca: cert.cert,
        ALPNProtocols: ['postgresql'],
      });
      const err = await new Promise<Error>((r) => bad.once('error', r));
      expect(err.message).toMatch(/no application protocol/i);
    } finally {
      await a.close();
    }
  });

  it('survives clients sending arbitrary bytes to every matcher, and keeps serving', async () => {
    const a = await app(
      [
        { match: [{ postgres: { tls: 'enabled' } }], handle: [{ handler: 'postgres_tls' }] },
        { match: [{ tls: { sni: ['a.example.com'] } }], handle: [{ handler: 'tls' }, proxyTo(echoA.port)] },
        {
          match: [
            { http: [{ host: ['x'] }] },
            { ssh: {} },
            { proxy_protocol: {} },
            { regexp: { pattern: '^Z', count: 2 } },
          ],
          handle: [{ handler: 'close' }],
        },
        { match: [{ postgres: { user: { u: [] } } }], handle: [{ handler: 'close' }] },
      ],
      { matching_timeout: ms(200) },
    );
    try {
      const seeds = [
        Buffer.from([0x16, 3, 1, 0, 0x40, 1, 0, 0, 0x3c, 3, 3]),
        Buffer.from([0, 0, 0, 8, 4, 210, 22, 47, 0x16, 3, 1]),
        Buffer.from([0, 0, 0, 16, 4, 210, 22, 46]),
        Buffer.from('PROXY TCP4 1.2.3.4'),
        Buffer.from('GET / HTTP/1.1\r\nHost'),
      ];
      let state = 12345;
      const rand = (n: number): number => {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        return state % n;
      };
      const clients = Array.from({ length: 40 }, async (_v, i) => {
        const s = await connect(a.port);
        s.on('error', () => undefined);
        const seed = seeds[i % seeds.length]!;
        const noise = Buffer.from(Array.from({ length: rand(64) }, () => rand(256)));
        s.write(Buffer.concat([seed.subarray(0, 1 + rand(seed.length)), noise]));
        return closes(s);
      });
      const hello = await captureClientHello({ servername: 'a.example.com' });
      expect(hello.length).toBeGreaterThan(0);
      const c = tls.connect({ port: a.port, host: '127.0.0.1', servername: 'a.example.com', ca: cert.cert });
      await new Promise((r) => c.once('secureConnect', r));
      c.write('ok');
      expect((await readBytes(c, 4)).toString()).toBe('A:ok');
      c.destroy();
      expect(new Set(await Promise.all(clients))).toEqual(new Set(['closed']));
    } finally {
      await a.close();
    }
  });

  it('closes a connection no route matched', async () => {
    const a = await app([{ match: [{ ssh: {} }], handle: [proxyTo(echoA.port)] }]);
    try {
      const s = await connect(a.port);
      s.write('not ssh');
      expect(await closes(s)).toBe('closed');
    } finally {
      await a.close();
    }
  });
});

describe('layer4 listener wrapper', () => {
  /** A stand-in for the http app's accept loop: wraps each connection, serves what falls through over HTTPS. */
  async function front(wrapperJson: unknown) {
    const wrapper = createLayer4ListenerWrapper(wrapperJson, {
      logger: testLogger,
      secureContextFor: () => cert.context,
    });
    const web = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) =>
      res.end(`web ${req.headers.host}`),
    );
    const handedOn: Duplex[] = [];
    const srv = await tcpServer((s) => {
      void Promise.resolve(
        wrapper.wrap(s, {
          remoteAddress: s.remoteAddress!,
          remotePort: s.remotePort!,
          localAddress: s.localAddress!,
          localPort: s.localPort!,
          listenAddress: ':0',
        }),
      ).then((d) => {
        if (d) {
          handedOn.push(d);
          web.emit('connection', d);
        }
      });
    });
    return { srv, handedOn, close: () => srv.close() };
  }

  it('hands unmatched TLS on to HTTPS with the ClientHello replayed, and terminates + proxies PostgreSQL direct TLS', async () => {
    const f = await front({
      wrapper: 'layer4',
      routes: [
        {
          match: [{ tls: { alpn: ['postgresql'], sni: ['a.example.com'] } }],
          handle: [{ handler: 'tls', connection_policies: [{ alpn: ['postgresql'] }] }, proxyTo(echoA.port)],
        },
      ],
    });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(
            {
              host: '127.0.0.1',
              port: f.srv.port,
              servername: 'a.example.com',
              headers: { host: 'a.example.com' },
              ca: cert.cert,
              path: '/',
            },
            (res) => {
              let b = '';
              res.on('data', (c) => (b += c));
              res.on('end', () => resolve(b));
            },
          )
          .on('error', reject);
      });
      expect(body).toBe('web a.example.com');
      expect(f.handedOn.length).toBe(1);
      const pg = tls.connect({
        port: f.srv.port,
        host: '127.0.0.1',
        servername: 'a.example.com',
        ca: cert.cert,
        ALPNProtocols: ['postgresql'],
      });
      await new Promise((r) => pg.once('secureConnect', r));
      expect(pg.alpnProtocol).toBe('postgresql');
      pg.write('x');
      expect((await readBytes(pg, 3)).toString()).toBe('A:x');
      pg.destroy();
      expect(f.handedOn.length).toBe(1);
    } finally {
      await f.close();
    }
  });

  it('clears the matching deadline on fall-through (a kept-alive HTTPS connection outlives it)', async () => {
    const f = await front({
      matching_timeout: ms(200),
      routes: [{ match: [{ tls: { sni: ['nothing.example.com'] } }], handle: [{ handler: 'close' }] }],
    });
    try {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      const get = () =>
        new Promise<{ body: string; port: number }>((resolve, reject) => {
          https
            .get(
              { host: '127.0.0.1', port: f.srv.port, servername: 'a.example.com', ca: cert.cert, agent, path: '/' },
              (res) => {
                let b = '';
                const port = res.socket.localPort!;
                res.on('data', (c) => (b += c));
                res.on('end', () => resolve({ body: b, port }));
              },
            )
            .on('error', reject);
        });
      const first = await get();
      await new Promise((r) => setTimeout(r, 500));
      const second = await get();
      expect(second.body).toBe(first.body);
      expect(second.port).toBe(first.port); // same connection
      expect(f.handedOn.length).toBe(1);
      agent.destroy();
    } finally {
      await f.close();
    }
  });

  it('returns the decrypted stream when the last matched route only terminates TLS', async () => {
    const wrapper = createLayer4ListenerWrapper(
      { routes: [{ match: [{ tls: {} }], handle: [{ handler: 'tls', connection_policies: [{ alpn: ['x-test'] }] }] }] },
      { logger: testLogger, secureContextFor: () => cert.context },
    );
    let got!: (d: Duplex | null) => void;
    const result = new Promise<Duplex | null>((r) => (got = r));
    const srv = await tcpServer((s) => {
      void Promise.resolve(
        wrapper.wrap(s, {
          remoteAddress: '127.0.0.1',
          remotePort: 1,
          localAddress: '127.0.0.1',
          localPort: 2,
          listenAddress: ':0',
        }),
      ).then(got);
    });
    try {
      const c = tls.connect({
        port: srv.port,
        host: '127.0.0.1',
        servername: 'a.example.com',
        ca: cert.cert,
        ALPNProtocols: ['x-test'],
      });
      c.on('error', () => undefined);
      const d = await result;
      expect(d).toBeInstanceOf(tls.TLSSocket);
      c.write('plain after tls');
      expect((await readBytes(d!, 15)).toString()).toBe('plain after tls');
      c.destroy();
    } finally {
      await srv.close();
    }
  });
});

describe('layer4 listener wrapper: h2 after layer4 terminated TLS', () => {
  it('an HTTP/2 server can take the decrypted stream', async () => {
    const wrapper = createLayer4ListenerWrapper(
      { routes: [{ match: [{ tls: {} }], handle: [{ handler: 'tls', connection_policies: [{ alpn: ['h2'] }] }] }] },
      { logger: testLogger, secureContextFor: () => cert.context },
    );
    const h2 = http2.createServer((_req, res) => res.end('over h2'));
    const srv = await tcpServer((s) => {
      void Promise.resolve(
        wrapper.wrap(s, {
          remoteAddress: '127.0.0.1',
          remotePort: 1,
          localAddress: '127.0.0.1',
          localPort: 2,
          listenAddress: ':0',
        }),
      ).then((d) => d && h2.emit('connection', d));
    });
    try {
      const session = http2.connect(`https://a.example.com:${srv.port}`, {
        ca: cert.cert,
        host: '127.0.0.1',
        servername: 'a.example.com',
        lookup: (_h, _o, cb) => cb(null, '127.0.0.1', 4),
      } as http2.SecureClientSessionOptions);
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':path': '/' });
        let b = '';
        req.on('data', (c) => (b += c));
        req.on('end', () => resolve(b));
        req.on('error', reject);
      });
      expect(body).toBe('over h2');
      session.close();
    } finally {
      await srv.close();
    }
  });
});

describe('layer4 config validation', () => {
  const load = (routes: unknown) =>
    startLayer4App({ servers: { srv0: { listen: ['127.0.0.1:0'], routes } } }, { logger: testLogger });

  it('names the JSON path of a module that is not built', async () => {
    await expect(load([{ match: [{ winbox: {} }], handle: [{ handler: 'echo' }] }])).rejects.toThrow(
      'apps.layer4.servers.srv0.routes[0].match[0].winbox: module layer4.matchers.winbox is not implemented in this runtime yet',
    );
    await expect(load([{ handle: [{ handler: 'echo' }, { handler: 'bogus' }] }])).rejects.toThrow(
      'apps.layer4.servers.srv0.routes[0].handle[1].handler: unknown module layer4.handlers.bogus',
    );
    await expect(load([{ match: [{ ssh: {} }, { bogus: {} }], handle: [] }])).rejects.toThrow(
      'apps.layer4.servers.srv0.routes[0].match[1].bogus: unknown module layer4.matchers.bogus',
    );
  });

  it('rejects bad values with their path', async () => {
    await expect(load([{ match: [{ postgres: { tls: 'maybe' } }] }])).rejects.toThrow(
      'routes[0].match[0].postgres.tls',
    );
    await expect(load([{ handle: [{ handler: 'proxy', upstreams: [{ dial: ['nohost'] }] }] }])).rejects.toThrow(
      'routes[0].handle[0].upstreams[0].dial[0]: address "nohost" has no port',
    );
    await expect(
      startLayer4App(
        { servers: { srv0: { listen: ['127.0.0.1:0'], matching_timeout: '3 parsecs' } } },
        { logger: testLogger },
      ),
    ).rejects.toThrow('apps.layer4.servers.srv0.matching_timeout: invalid duration');
  });
});
