/** @module layer4-matchers: layer4 matchers (postgres, http, regexp, proxy_protocol, ip, not, ssh) over real sockets. */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProxyHeader, startLayer4App } from '@proxy/runtime';
import { connect, readAll, readBytes, taggedEcho, testLogger } from './layer4-support.js';

type Echo = { port: number; close(): Promise<void> };
const echos: Echo[] = [];
beforeAll(async () => {
  for (const t of ['A', 'B', 'C']) echos.push(await taggedEcho(t));
});
afterAll(async () => {
  await Promise.all(echos.map((e) => e.close()));
});

const to = (i: number) => ({ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echos[i]!.port}`] }] });

/** Starts an app with `routes`, sends `bytes`, returns the tag of the echo that answered ('' = closed). */
async function routeOf(routes: unknown[], bytes: Buffer | string): Promise<string> {
  const app = await startLayer4App({ servers: { s: { listen: ['127.0.0.1:0'], routes } } }, { logger: testLogger });
  try {
    const s = await connect(app.addresses['s']![0]!.port);
    s.write(bytes);
    const got = await readBytes(s, 2);
    s.destroy();
    return got.subarray(0, 1).toString();
  } finally {
    await app.close();
  }
}

function startup(params: Record<string, string>): Buffer {
  const body = Buffer.from(
    Object.entries(params)
      .map(([k, v]) => `${k}\0${v}\0`)
      .join('') + '\0',
  );
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.writeUInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

describe('postgres matcher', () => {
  const routes = (): unknown[] => [
    { match: [{ postgres: { tls: 'enabled' } }], handle: [to(0)] },
    { match: [{ postgres: { user: { alice: ['db1'], '*': ['public'] }, client: ['psql'] } }], handle: [to(1)] },
    { match: [{ postgres: { user: { bob: [] } } }], handle: [to(2)] },
  ];

  it('matches SSLRequest with tls enabled', async () => {
    expect(await routeOf(routes(), SSL_REQUEST)).toBe('A');
  });

  it('filters StartupMessages by user, database and application_name', async () => {
    expect(await routeOf(routes(), startup({ user: 'alice', database: 'db1', application_name: 'psql' }))).toBe('B');
    expect(await routeOf(routes(), startup({ user: 'bob', database: 'anything' }))).toBe('C');
    // unlisted database, wrong client: no route -> PostgreSQL ErrorResponse from the router itself
    expect(await routeOf(routes(), startup({ user: 'alice', database: 'db2', application_name: 'psql' }))).toBe('E');
    expect(await routeOf(routes(), startup({ user: 'alice', database: 'db1', application_name: 'other' }))).toBe('E');
    // "*" applies only without a user parameter (caddy-l4's code)
    expect(await routeOf(routes(), startup({ database: 'public', application_name: 'psql' }))).toBe('B');
    expect(await routeOf(routes(), startup({ user: 'carol', database: 'public', application_name: 'psql' }))).toBe('E');
  });

  it('waits for a StartupMessage that arrives in pieces', async () => {
    const app = await startLayer4App(
      { servers: { s: { listen: ['127.0.0.1:0'], routes: routes() } } },
      { logger: testLogger },
    );
    try {
      const s = await connect(app.addresses['s']![0]!.port);
      const msg = startup({ user: 'bob', database: 'x' });
      for (let i = 0; i < msg.length; i += 5) {
        s.write(msg.subarray(i, i + 5));
        await new Promise((r) => setTimeout(r, 2));
      }
      expect((await readBytes(s, 2)).subarray(0, 2).toString()).toBe('C:');
      s.destroy();
    } finally {
      await app.close();
    }
  });
});

describe('other matchers', () => {
  it('http: host, path, method, header; binary input is rejected at once', async () => {
    const routes = [
      { match: [{ http: [{ host: ['a.example.com'], path: ['/api/*'] }] }], handle: [to(0)] },
      { match: [{ http: [{ method: ['POST'], header: { 'X-Kind': ['b*'] } }] }], handle: [to(1)] },
      { handle: [to(2)] },
    ];
    expect(await routeOf(routes, 'GET /api/x?q=1 HTTP/1.1\r\nHost: A.example.com:8080\r\n\r\n')).toBe('A');
    expect(await routeOf(routes, 'POST / HTTP/1.1\r\nHost: z\r\nX-Kind: blue\r\n\r\n')).toBe('B');
    expect(await routeOf(routes, 'GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n')).toBe('C');
    expect(await routeOf(routes, Buffer.from([0, 1, 2, 3]))).toBe('C');
  });

  it('regexp over count bytes, plain and hex', async () => {
    const routes = [
      { match: [{ regexp: { pattern: '^AB', count: 2 } }], handle: [to(0)] },
      { match: [{ regexp: { pattern: '^00FF', count: 2, hex: true } }], handle: [to(1)] },
      { handle: [to(2)] },
    ];
    expect(await routeOf(routes, 'ABCD')).toBe('A');
    expect(await routeOf(routes, Buffer.from([0, 255, 1]))).toBe('B');
    expect(await routeOf(routes, 'xyz')).toBe('C');
  });

  it('proxy_protocol matcher + handler feed remote_ip; not and local_ip', async () => {
    const routes = [
      { match: [{ proxy_protocol: {} }], handle: [{ handler: 'proxy_protocol', allow: ['127.0.0.0/8'] }] },
      { match: [{ remote_ip: { ranges: ['203.0.113.0/24'] } }], handle: [to(0)] },
      { match: [{ not: [{ remote_ip: { ranges: ['127.0.0.1'] } }] }], handle: [to(1)] },
      { match: [{ local_ip: { ranges: ['127.0.0.1/32'] } }], handle: [to(2)] },
    ];
    const header = buildProxyHeader('v2', {
      sourceAddress: '203.0.113.7',
      sourcePort: 4000,
      destAddress: '10.0.0.1',
      destPort: 443,
    });
    expect(await routeOf(routes, Buffer.concat([header, Buffer.from('hi')]))).toBe('A');
    const other = buildProxyHeader('v1', {
      sourceAddress: '198.51.100.1',
      sourcePort: 4000,
      destAddress: '10.0.0.1',
      destPort: 443,
    });
    expect(await routeOf(routes, Buffer.concat([other, Buffer.from('hi')]))).toBe('B');
    expect(await routeOf(routes, 'plain')).toBe('C');
  });

  it('ssh', async () => {
    expect(await routeOf([{ match: [{ ssh: {} }], handle: [to(1)] }, { handle: [to(0)] }], 'SSH-2.0-OpenSSH\r\n')).toBe(
      'B',
    );
  });

  it('a proxy_protocol handler with REQUIRE closes connections without a header', async () => {
    const app = await startLayer4App(
      {
        servers: {
          s: {
            listen: ['127.0.0.1:0'],
            routes: [{ handle: [{ handler: 'proxy_protocol', fallback_policy: 'REQUIRE' }, to(0)] }],
          },
        },
      },
      { logger: testLogger },
    );
    try {
      const s = await connect(app.addresses['s']![0]!.port);
      s.write('no header here');
      expect((await readAll(s)).length).toBe(0);
      const s2 = net.connect(app.addresses['s']![0]!.port, '127.0.0.1');
      s2.write(
        Buffer.concat([
          buildProxyHeader('v1', { sourceAddress: '192.0.2.9', sourcePort: 1, destAddress: '192.0.2.10', destPort: 2 }),
          Buffer.from('x'),
        ]),
      );
      expect((await readBytes(s2, 3)).toString()).toBe('A:x');
      s2.destroy();
    } finally {
      await app.close();
    }
  });
});
