/** @module l4-postgres: PostgreSQL through the layer4 router with real clients and servers: STARTTLS, direct TLS, GSSENC, cancel, pgbench. */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App, type Layer4AppHandle } from '@proxy/runtime';
import {
  makeCert,
  readBytes,
  testLogger,
  type TestCert,
  removeTempDirs,
} from '../packages/runtime/test/layer4-support.js';
import { cancelSleep, conninfo, freePort, psql, run, startPostgres, type PgCluster } from './l4-support.js';

/** PostgreSQL through the layer4 router: STARTTLS (terminate, passthrough, re-encrypt), direct TLS, cancel. */
let cert: TestCert;
let plainPg: PgCluster; // ssl off
let tlsPg: PgCluster; // ssl on
let router: Layer4AppHandle;
let port: number;
let plainOnlyPort: number;
let deadPort: number;

const proxy = (p: number, extra: Record<string, unknown> = {}) => ({
  handler: 'proxy',
  upstreams: [{ dial: [`127.0.0.1:${p}`], ...extra }],
});
const terminate = { handler: 'tls', connection_policies: [{ alpn: ['postgresql'] }] };

beforeAll(async () => {
  cert = makeCert(['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com']);
  [plainPg, tlsPg] = await Promise.all([
    startPostgres(),
    startPostgres({ certFile: cert.certFile, keyFile: cert.keyFile }),
  ]);
  deadPort = await freePort();
  router = await startLayer4App(
    {
      servers: {
        pg: {
          listen: ['127.0.0.1:0'],
          routes: [
            // SSLRequest: answer 'S'; the routes below then see the client's ClientHello.
            { match: [{ postgres: { tls: 'enabled' } }], handle: [{ handler: 'postgres_tls' }] },
            // a: terminate (STARTTLS or PG17 direct TLS), plaintext to the ssl-off backend
            { match: [{ tls: { sni: ['a.example.com'] } }], handle: [terminate, proxy(plainPg.port)] },
            // b: STARTTLS passthrough: our own SSLRequest upstream, then the client's TLS end to end
            { match: [{ tls: { sni: ['b.example.com'] } }], handle: [proxy(tlsPg.port)] },
            // c: terminate and re-encrypt to the backend with an SSLRequest
            {
              match: [{ tls: { sni: ['c.example.com'] } }],
              handle: [terminate, proxy(tlsPg.port, { starttls: 'postgres', tls: { insecure_skip_verify: true } })],
            },
            // d: a backend that is down
            { match: [{ tls: { sni: ['d.example.com'] } }], handle: [terminate, proxy(deadPort)] },
            // plaintext startups by user
            { match: [{ postgres: { user: { alice: [], postgres: ['plainonly'] } } }], handle: [proxy(plainPg.port)] },
          ],
        },
        // no TLS route at all: SSLRequests are declined with 'N'
        plainonly: {
          listen: ['127.0.0.1:0'],
          routes: [{ match: [{ postgres: { user: { alice: [] } } }], handle: [proxy(plainPg.port)] }],
        },
      },
    },
    { logger: testLogger, secureContextFor: () => cert.context },
  );
  port = router.addresses['pg']![0]!.port;
  plainOnlyPort = router.addresses['plainonly']![0]!.port;
  for (const u of ['alice', 'bob']) {
    const r = await run('psql', [
      '-X',
      '-q',
      '-d',
      `host=127.0.0.1 port=${plainPg.port} user=postgres dbname=postgres`,
      '-c',
      `CREATE ROLE ${u} LOGIN`,
    ]);
    expect(r.stderr).toBe('');
  }
}, 120_000);

afterAll(async () => {
  removeTempDirs();
  await router?.close();
  await Promise.all([plainPg?.stop(), tlsPg?.stop()]);
});

const sslQuery = `SELECT current_setting('port') || ',' || (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())`;

describe('PostgreSQL STARTTLS through layer4 (psql 15, sslmode=require)', () => {
  it('terminates TLS and routes by SNI to a plaintext backend', async () => {
    const r = await psql(conninfo('a.example.com', port, { sslmode: 'require' }), `${sslQuery} || ',' || current_user`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`${plainPg.port},false,postgres`);
  });

  it('passes the client TLS through to the backend chosen by SNI', async () => {
    const r = await psql(conninfo('b.example.com', port, { sslmode: 'require' }), sslQuery);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`${tlsPg.port},true`);
  });

  it('re-encrypts to the backend after terminating', async () => {
    const r = await psql(conninfo('c.example.com', port, { sslmode: 'require' }), sslQuery);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`${tlsPg.port},true`);
  });

  it('answers an unreachable backend with a PostgreSQL error, not a hang', async () => {
    const r = await psql(conninfo('d.example.com', port, { sslmode: 'require' }), 'SELECT 1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('not reachable through the proxy');
  });

  it('closes a STARTTLS client whose server name no route takes', async () => {
    const r = await psql(conninfo('unknown.example.com', port, { sslmode: 'require' }), 'SELECT 1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/SSL|closed the connection/);
  });

  it('works for openssl s_client -starttls postgres', async () => {
    const r = await run(
      'openssl',
      ['s_client', '-starttls', 'postgres', '-connect', `127.0.0.1:${port}`, '-servername', 'a.example.com'],
      {
        input: '',
        timeoutMs: 20_000,
      },
    );
    expect(r.stdout).toMatch(/Protocol *: TLSv1\.3|New, TLSv1\.3/);
    expect(r.stdout).toContain('CN = a.example.com');
  });

  it('runs pgbench through the router', async () => {
    const conn = conninfo('a.example.com', port, { sslmode: 'require' });
    const init = await run('pgbench', ['-i', '-s', '1', '-q', conn], { timeoutMs: 60_000 });
    expect(init.code).toBe(0);
    const bench = await run('pgbench', ['-c', '4', '-j', '2', '-t', '50', '-n', conn], { timeoutMs: 90_000 });
    expect(bench.stderr).not.toMatch(/error/i);
    expect(bench.stdout).toContain('number of transactions actually processed: 200/200');
  }, 120_000);
});

describe('PostgreSQL 17 direct TLS through layer4', () => {
  it('node-postgres sslnegotiation=direct: ALPN postgresql, terminated, proxied', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      ssl: { rejectUnauthorized: false, servername: 'a.example.com' },
      sslnegotiation: 'direct',
    } as pg.ClientConfig);
    await client.connect();
    try {
      const res = await client.query(`${sslQuery} AS v`);
      expect(res.rows[0].v).toBe(`${plainPg.port},false`);
      expect(
        (client as unknown as { connection: { stream: { alpnProtocol?: string } } }).connection.stream.alpnProtocol,
      ).toBe('postgresql');
    } finally {
      await client.end();
    }
  });

  it('openssl s_client -alpn postgresql negotiates postgresql', async () => {
    const r = await run(
      'openssl',
      ['s_client', '-alpn', 'postgresql', '-connect', `127.0.0.1:${port}`, '-servername', 'a.example.com'],
      {
        input: '',
        timeoutMs: 20_000,
      },
    );
    expect(r.stdout).toContain('ALPN protocol: postgresql');
  });
});

describe('PostgreSQL plaintext, GSSENC and cancel through layer4', () => {
  function startup(user: string, database = 'postgres'): Buffer {
    const body = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.writeUInt32BE(196608, 4);
    return Buffer.concat([head, body]);
  }

  async function raw(): Promise<net.Socket> {
    const s = net.connect({ port, host: '127.0.0.1' });
    await new Promise((r) => s.once('connect', r));
    return s;
  }

  it('serves a plaintext startup matched by user (psql sslmode=disable)', async () => {
    const r = await psql(
      conninfo('127.0.0.1', port, { sslmode: 'disable', user: 'alice' }),
      `SELECT current_user || ',' || current_setting('port')`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`alice,${plainPg.port}`);
  });

  it('rejects an unrouted plaintext startup with an ErrorResponse', async () => {
    const r = await psql(conninfo('127.0.0.1', port, { sslmode: 'disable', user: 'bob' }), 'SELECT 1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no route for user "bob"');
  });

  it('declines GSSENCRequest with N, then serves the startup on the same connection', async () => {
    const s = await raw();
    s.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 48]));
    expect((await readBytes(s, 1)).toString()).toBe('N');
    s.write(startup('alice'));
    const reply = await readBytes(s, 9);
    expect(String.fromCharCode(reply[0]!)).toBe('R'); // AuthenticationOk from the backend
    expect(reply.readUInt32BE(5)).toBe(0);
    s.destroy();
  });

  it('declines an SSLRequest when no route takes TLS, so sslmode=prefer goes on in plaintext', async () => {
    const r = await psql(
      conninfo('127.0.0.1', plainOnlyPort, { sslmode: 'prefer', user: 'alice' }),
      `SELECT current_user || ',' || current_setting('port')`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`alice,${plainPg.port}`);
    const refused = await psql(conninfo('127.0.0.1', plainOnlyPort, { sslmode: 'require', user: 'alice' }), 'SELECT 1');
    expect(refused.stderr).toContain('server does not support SSL');
  });

  it("routes psql's CancelRequest to the backend that issued the key (terminated session)", async () => {
    const r = await cancelSleep('psql', conninfo('a.example.com', port, { sslmode: 'require' }), plainPg.port);
    expect(r.running).toBe(true);
    expect(r.stderr).toContain('canceling statement due to user request');
  });

  it('fans a cancel out to the backends of passthrough sessions, whose keys it cannot see', async () => {
    const r = await cancelSleep('psql', conninfo('b.example.com', port, { sslmode: 'require' }), tlsPg.port);
    expect(r.running).toBe(true);
    expect(r.stderr).toContain('canceling statement due to user request');
  });
});
