import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenerWrapper, type ListenerWrapperContext } from '@proxy/runtime';
import { get, getH2, getTls, start, type Started } from './helpers.js';

/** Reads the first chunk, then puts it back. */
function peek(conn: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    conn.once('data', (c: Buffer) => {
      conn.pause();
      conn.unshift(c);
      resolve(c);
    });
    conn.once('error', reject);
    conn.resume();
  });
}

const seen: Record<string, string[]> = {};
const contexts: ListenerWrapperContext[] = [];

const testPeek = listenerWrapper('test_peek', 'Records the first bytes of each connection.', (json, ctx) => {
  contexts.push(ctx);
  const label = String(json['label']);
  return {
    name: 'test_peek',
    async wrap(conn, info) {
      const first = await peek(conn);
      (seen[label] ??= []).push(`${first[0] === 0x16 ? 'tls' : first.subarray(0, 3).toString()}@${info.listenAddress}`);
      return conn;
    },
  };
});

const testPing = listenerWrapper('test_ping', 'Answers PING with PONG and takes the connection.', () => ({
  name: 'test_ping',
  async wrap(conn) {
    const first = await peek(conn);
    if (first.subarray(0, 4).toString() !== 'PING') return conn;
    conn.read();
    conn.end('PONG\n');
    return null;
  },
}));

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => c.write('PING\n'));
    let out = '';
    c.on('data', (d) => {
      out += d.toString();
    });
    c.on('end', () => resolve(out));
    c.on('error', reject);
  });
}

describe('listener wrappers', () => {
  let s: Started;
  let ca: string;
  beforeAll(async () => {
    s = await start(
      {
        apps: {
          http: {
            servers: {
              tls: {
                listen: ['127.0.0.1:0'],
                listener_wrappers: [
                  { wrapper: 'test_peek', label: 'before' },
                  { wrapper: 'tls' },
                  { wrapper: 'test_peek', label: 'after' },
                ],
                routes: [
                  { match: [{ host: ['wrap.localhost'] }], handle: [{ handler: 'static_response', body: 'wrapped' }] },
                ],
              },
              plain: {
                listen: ['127.0.0.1:0'],
                automatic_https: { disable: true },
                listener_wrappers: [{ wrapper: 'test_ping' }],
                routes: [{ handle: [{ handler: 'static_response', body: 'http' }] }],
              },
            },
          },
          tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
        },
      },
      [testPeek, testPing],
    );
    ca = await s.inst.rootCertificate();
  });
  afterAll(() => s.close());

  it('runs wrappers in order around TLS termination', async () => {
    const r = await getTls(s.port('tls'), '/', { servername: 'wrap.localhost', ca });
    expect(r.body).toBe('wrapped');
    expect(seen['before']).toEqual(['tls@127.0.0.1:0']);
    expect(seen['after']).toEqual(['GET@127.0.0.1:0']);
    const h2 = await getH2(s.port('tls'), '/', { servername: 'wrap.localhost', ca });
    expect(h2.body).toBe('wrapped');
    expect(seen['after']![1]).toMatch(/^PRI@/);
  });

  it('gives wrappers the tls app (certificates by server name)', () => {
    expect(contexts[0]!.tls.hasCertificateFor('wrap.localhost')).toBe(true);
    expect(contexts[0]!.tls.secureContextFor('wrap.localhost')).toBeDefined();
    expect(contexts[0]!.tls.secureContextFor('nothing.localhost')).toBeUndefined();
  });

  it('lets a wrapper take a connection over, and pass others on to HTTP', async () => {
    expect(await ping(s.port('plain'))).toBe('PONG\n');
    expect((await get(s.port('plain'), '/')).body).toBe('http');
  });

  it('rejects unknown wrappers at validation', async () => {
    const { validateConfig } = await import('@proxy/runtime');
    const errs = await validateConfig({
      apps: { http: { servers: { a: { listen: [':0'], listener_wrappers: [{ wrapper: 'nope' }] } } } },
    });
    expect(errs[0]!.path).toBe('apps.http.servers.a.listener_wrappers[0].wrapper');
  });
});

describe('listen addresses', () => {
  it('binds port ranges and IPv6 loopback', async () => {
    let v6 = true;
    await new Promise<void>((resolve) => {
      const t = net.createServer();
      t.once('error', () => {
        v6 = false;
        resolve();
      });
      t.listen(0, '::1', () => t.close(() => resolve()));
    });
    // Two adjacent ports may be in use by something else: retry with another pair.
    let base = 0;
    let lastErr: unknown;
    let s: Awaited<ReturnType<typeof start>> | undefined;
    for (let attempt = 0; attempt < 10 && !s; attempt++) {
      // Below the kernel's ephemeral range, so busy client ports are not next door.
      base = 20000 + Math.floor(Math.random() * 10000);
      try {
        s = await start({
          apps: {
            http: {
              servers: {
                srv0: {
                  listen: [`127.0.0.1:${base}-${base + 1}`, ...(v6 ? ['[::1]:0'] : [])],
                  routes: [
                    {
                      handle: [
                        { handler: 'static_response', body: '{http.request.local.port} {http.request.remote.host}' },
                      ],
                    },
                  ],
                },
              },
            },
          },
        });
      } catch (e) {
        if (!String(e).includes('cannot listen')) throw e;
        lastErr = e;
      }
    }
    if (!s) throw new Error(`no two adjacent free ports found: ${String(lastErr)}`);
    try {
      const addrs = s.inst.addresses('srv0');
      expect(addrs.map((a) => a.port).slice(0, 2)).toEqual([base, base + 1]);
      expect((await get(base + 1, '/')).body).toBe(`${base + 1} 127.0.0.1`);
      if (v6) {
        const p6 = addrs[2]!.port;
        const body = await new Promise<string>((resolve, reject) => {
          const c = net.connect(p6, '::1', () => c.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
          let out = '';
          c.on('data', (d) => {
            out += d.toString();
          });
          c.on('end', () => resolve(out));
          c.on('error', reject);
        });
        expect(body).toContain(`${p6} ::1`);
      }
    } finally {
      await s.close();
    }
  });
});
