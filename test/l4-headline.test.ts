/** @module l4-headline: the seed end to end: HTTPS and PostgreSQL 17 direct TLS on one port through the layer4 listener wrapper. */
import https from 'node:https';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLayer4ListenerWrapper, type ListenerWrapper } from '@proxy/runtime';
import {
  makeCert,
  tcpServer,
  testLogger,
  type TestCert,
  removeTempDirs,
} from '../packages/runtime/test/layer4-support.js';
import { cancelSleep, conninfo, pg17Bin, psql, startPostgres, type PgCluster } from './l4-support.js';

/**
 * The seed: HTTPS and PostgreSQL 17 direct TLS on one port. The layer4 listener wrapper (JSON of the
 * postgres_over_tls_headline conformance case, with the dial address pointing at a real cluster) sits in
 * front of an HTTPS server, standing in for the http app's accept loop and its tls wrapper.
 */
const headlineWrapper = (dial: string, extraRoutes: unknown[] = []) => ({
  routes: [
    {
      handle: [
        { connection_policies: [{ alpn: ['postgresql'] }], handler: 'tls' },
        { handler: 'proxy', upstreams: [{ dial: [dial] }] },
      ],
      match: [{ tls: { alpn: ['postgresql'], sni: ['pgsql.example.com'] } }],
    },
    ...extraRoutes,
  ],
  wrapper: 'layer4',
});

const PG17 = pg17Bin();
let cert: TestCert;
let pg15: PgCluster;
let pg17: PgCluster | undefined;
let wrapper: ListenerWrapper;
let front: { port: number; close(): Promise<void> };
let handedOn = 0;

beforeAll(async () => {
  cert = makeCert(['pgsql.example.com', 'pg17.example.com', 'www.example.com']);
  pg15 = await startPostgres();
  if (PG17) pg17 = await startPostgres({ certFile: cert.certFile, keyFile: cert.keyFile }, PG17);
  // pg17.example.com: direct TLS passed through untouched to a PostgreSQL 17 server (it checks ALPN itself)
  const passthrough = pg17
    ? [
        {
          match: [{ tls: { alpn: ['postgresql'], sni: ['pg17.example.com'] } }],
          handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${pg17.port}`] }] }],
        },
      ]
    : [];
  wrapper = createLayer4ListenerWrapper(headlineWrapper(`localhost:${pg15.port}`, passthrough), {
    logger: testLogger,
    secureContextFor: () => cert.context,
  });
  const web = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => res.end(`OK ${req.headers.host}`));
  front = await tcpServer((s) => {
    const info = {
      remoteAddress: s.remoteAddress!,
      remotePort: s.remotePort!,
      localAddress: s.localAddress!,
      localPort: s.localPort!,
      listenAddress: ':443',
    };
    void Promise.resolve(wrapper.wrap(s, info)).then((d) => {
      if (d) {
        handedOn++;
        web.emit('connection', d);
      }
    });
  });
}, 120_000);

afterAll(async () => {
  removeTempDirs();
  await front?.close();
  await wrapper?.close?.();
  await Promise.all([pg15?.stop(), pg17?.stop()]);
});

function get(servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(
        {
          host: '127.0.0.1',
          port: front.port,
          servername,
          headers: { host: servername },
          ca: cert.cert,
          path: '/',
          agent: false,
        },
        (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve(b));
        },
      )
      .on('error', reject);
  });
}

describe('headline: HTTPS and PostgreSQL direct TLS on one port', () => {
  it('serves HTTPS for the same server name (ALPN h2/http1.1 falls through)', async () => {
    const before = handedOn;
    expect(await get('pgsql.example.com')).toBe('OK pgsql.example.com');
    expect(await get('www.example.com')).toBe('OK www.example.com');
    expect(handedOn).toBe(before + 2);
  });

  it('node-postgres sslnegotiation=direct reaches PostgreSQL 15 in plaintext behind the router', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: front.port,
      user: 'postgres',
      database: 'postgres',
      ssl: { ca: cert.cert, servername: 'pgsql.example.com' },
      sslnegotiation: 'direct',
    } as pg.ClientConfig);
    await client.connect();
    try {
      const r = await client.query(
        `SELECT current_setting('port') AS port, (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl`,
      );
      expect(r.rows[0]).toEqual({ port: String(pg15.port), ssl: false });
    } finally {
      await client.end();
    }
  });

  it('a classic SSLRequest on this port is declined (N), so sslmode=require fails cleanly instead of hanging', async () => {
    const r = await psql(conninfo('pgsql.example.com', front.port, { sslmode: 'require' }), 'SELECT 1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('server does not support SSL');
  });

  describe.runIf(PG17)('with PostgreSQL 17 (psql 17, libpq 17)', () => {
    const psql17 = (): string => `${PG17}/psql`;

    it('psql 17 sslnegotiation=direct through termination', async () => {
      const r = await psql(
        conninfo('pgsql.example.com', front.port, { sslmode: 'require', sslnegotiation: 'direct' }),
        `SELECT current_setting('port')`,
        30_000,
        psql17(),
      );
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(String(pg15.port));
    });

    it('psql 17 direct TLS passed through to a PostgreSQL 17 server', async () => {
      const r = await psql(
        conninfo('pg17.example.com', front.port, { sslmode: 'require', sslnegotiation: 'direct' }),
        `SELECT current_setting('port') || ',' || (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())`,
        30_000,
        psql17(),
      );
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(`${pg17!.port},true`);
    });

    it('psql 17 Ctrl-C cancels a query running through the router (terminated)', async () => {
      const r = await cancelSleep(
        psql17(),
        conninfo('pgsql.example.com', front.port, { sslmode: 'require', sslnegotiation: 'direct' }),
        pg15.port,
      );
      expect(r.running).toBe(true);
      expect(r.stderr).toContain('canceling statement due to user request');
    });

    it('psql 17 Ctrl-C cancels a query running through the router (direct TLS passthrough)', async () => {
      const r = await cancelSleep(
        psql17(),
        conninfo('pg17.example.com', front.port, { sslmode: 'require', sslnegotiation: 'direct' }),
        pg17!.port,
      );
      expect(r.running).toBe(true);
      expect(r.stderr).toContain('canceling statement due to user request');
    });
  });
});

describe('headline: a slow client does not hold up others', () => {
  it('half a ClientHello is closed at matching_timeout while other clients are served', async () => {
    const s = net.connect(front.port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01]));
    const closed = new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 15_000);
      s.on('data', () => undefined);
      s.once('close', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    expect(await get('www.example.com')).toBe('OK www.example.com');
    expect(await closed).toBe(true);
  });
});
