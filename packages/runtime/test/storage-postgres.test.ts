/**
 * @module storage-postgres.test: the storage suite against postgres storage (`caddy.storage.postgres`) on a real
 * PostgreSQL 15 started here, plus what only the database has: the schema created on first use with its
 * migrations table, table prefixes, a schema newer than this build refused, and the settings from JSON.
 */
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStorage, postgresSettings } from '../src/storage/postgres.js';
import { type PgCluster, startPostgres } from '../../../test/l4-support.js';
import { storageSuite } from './storage-suite.js';

/** Retries until fn resolves (bounded: a reloaded setting reaches an idle session when it next runs a query). */
async function until<T>(fn: () => Promise<T>, tries = 50): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

let cluster: PgCluster;
const open: PostgresStorage[] = [];
const conn = (): string => `postgresql://postgres@127.0.0.1:${cluster.port}/postgres`;

beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);

afterAll(async () => {
  for (const st of open) await st.close().catch(() => undefined);
  await cluster?.stop();
});

function make(leaseMs: number, prefix = 'suite_'): PostgresStorage {
  const st = new PostgresStorage(
    { ...postgresSettings({ connection_string: conn(), table_prefix: prefix }), leaseMs, pollMs: 50 },
    pino({ level: 'silent' }),
  );
  open.push(st);
  return st;
}

storageSuite('postgres', () => ({
  make: (leaseMs) => make(leaseMs),
  childSetup: `const { PostgresStorage, postgresSettings } = await import(dist + '/storage/postgres.js');
const log = { warn() {}, error() {}, info() {}, child() { return log; } };
const storage = new PostgresStorage(
  { ...postgresSettings({ connection_string: ${JSON.stringify(conn())}, table_prefix: 'suite_' }), leaseMs, pollMs: 50 },
  log,
);`,
}));

describe('postgres storage schema', () => {
  it('creates its tables and migrations table on first use, once, under the table prefix', async () => {
    const a = make(1000, 'fresh_');
    const b = make(1000, 'fresh_');
    await Promise.all([a.store('k', 'a'), b.store('j', 'b')]);
    const c = new pg.Client({ connectionString: conn() });
    await c.connect();
    try {
      const t = await c.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE tablename LIKE 'fresh\\_%' ORDER BY 1",
      );
      expect(t.rows.map((r) => r.tablename)).toEqual([
        'fresh_config_status',
        'fresh_configs',
        'fresh_data',
        'fresh_locks',
        'fresh_migrations',
      ]);
      const v = await c.query<{ version: number }>('SELECT version FROM fresh_migrations');
      expect(v.rows.map((r) => r.version)).toEqual([1, 2]);
      const d = await c.query<{ key: string }>('SELECT key FROM fresh_data ORDER BY 1');
      expect(d.rows.map((r) => r.key)).toEqual(['j', 'k']);
      // Another prefix is other data.
      expect(await make(1000, 'other_').load('k')).toBeUndefined();
      // A schema a newer build migrated is refused, not written to.
      await c.query('INSERT INTO fresh_migrations (version) VALUES (99)');
      await expect(make(1000, 'fresh_').load('k')).rejects.toThrow(/schema version 99, newer than this build knows/);
    } finally {
      await c.end();
    }
  });

  it('fails clearly when the server cannot be reached', async () => {
    const st = new PostgresStorage(
      postgresSettings({ host: '127.0.0.1', port: 1, user: 'postgres', dbname: 'postgres' }),
      pino({ level: 'silent' }),
    );
    open.push(st);
    await expect(st.load('x')).rejects.toThrow(/^postgres storage postgres@127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/);
  });

  it('reads libpq connection strings and the separate fields', () => {
    const kw = postgresSettings({
      connection_string: "host=db.internal port=6432 dbname='fleet db' user=proxy password='it\\'s' sslmode=require",
    }).client;
    expect(kw).toMatchObject({ host: 'db.internal', port: 6432, database: 'fleet db', user: 'proxy' });
    expect(kw.ssl).toMatchObject({ rejectUnauthorized: false });
    const uri = postgresSettings({
      connection_string: 'postgresql://u%40x:p%2Fw@[::1]:5433/d?sslmode=disable&application_name=edge',
      dbname: 'override',
    }).client;
    expect(uri).toMatchObject({ host: '::1', port: 5433, user: 'u@x', password: 'p/w', database: 'override' });
    expect(uri.ssl).toBe(false);
    expect(
      postgresSettings({ connection_string: 'postgresql://a,b:5433/d?target_session_attrs=read-write' }),
    ).toMatchObject({ hosts: [{ host: 'a' }, { host: 'b', port: 5433 }], readWrite: true, client: { host: 'a' } });
    expect(postgresSettings({ connection_string: 'host=a,b,c port=6432' }).hosts).toEqual([
      { host: 'a', port: 6432 },
      { host: 'b', port: 6432 },
      { host: 'c', port: 6432 },
    ]);
    expect(() => postgresSettings({ connection_string: 'host=a,b,c port=1,2' })).toThrow(/2 ports for 3 hosts/);
    expect(() => postgresSettings({ connection_string: 'host=a target_session_attrs=standby' })).toThrow(
      /target_session_attrs "standby" is not supported/,
    );
    expect(() => postgresSettings({ table_prefix: 'Bad-Prefix' })).toThrow(/invalid table_prefix/);
    expect(() => postgresSettings({ sslmode: 'maybe' })).toThrow(/invalid sslmode/);
  });
});

describe('postgres storage with a libpq host list', () => {
  let standby: PgCluster;
  beforeAll(async () => {
    // A server that takes no writes stands in for a standby (what libpq's read-write check asks is the same).
    standby = await startPostgres();
    const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${standby.port}/postgres` });
    await c.connect();
    await c.query('ALTER SYSTEM SET default_transaction_read_only = on');
    await c.query('SELECT pg_reload_conf()');
    await c.end();
  }, 120_000);
  afterAll(async () => {
    await standby?.stop();
  });

  const storage = (connection_string: string): PostgresStorage => {
    const st = new PostgresStorage(
      postgresSettings({ connection_string, table_prefix: 'hosts_' }),
      pino({ level: 'silent' }),
    );
    open.push(st);
    return st;
  };

  it('skips a read-only server with target_session_attrs=read-write, and a host that refuses', async () => {
    const rw = storage(
      `postgresql://postgres@127.0.0.1:${standby.port},127.0.0.1:${cluster.port}/postgres?target_session_attrs=read-write`,
    );
    await rw.store('written', 'to the primary');
    expect((await rw.load('written'))?.toString()).toBe('to the primary');
    const primary = new pg.Client({ connectionString: conn() });
    await primary.connect();
    const rows = await primary.query<{ value: Buffer }>("SELECT value FROM hosts_data WHERE key = 'written'");
    await primary.end();
    expect(rows.rows[0]?.value.toString()).toBe('to the primary');
    const refused = storage(`host=127.0.0.1,127.0.0.1 port=1,${cluster.port} user=postgres dbname=postgres`);
    expect((await refused.load('written'))?.toString()).toBe('to the primary');
  });

  it('moves on when the server it writes to turns read-only (demoted), with target_session_attrs=read-write', async () => {
    const setReadOnly = async (port: number, on: boolean): Promise<void> => {
      const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
      await c.connect();
      await c.query(`ALTER SYSTEM SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
      await c.query('SELECT pg_reload_conf()');
      await c.end();
    };
    const rw = storage(
      `postgresql://postgres@127.0.0.1:${standby.port},127.0.0.1:${cluster.port}/postgres?target_session_attrs=read-write`,
    );
    await rw.store('before', 'on the first primary');
    // The roles swap: the pooled connection to the old primary now refuses writes.
    await setReadOnly(cluster.port, true);
    await setReadOnly(standby.port, false);
    try {
      // A real standby has the primary's tables through replication; this stand-in gets them made.
      await until(() => storage(`postgresql://postgres@127.0.0.1:${standby.port}/postgres`).exists('x'));
      // Once a new session sees it, the pooled one does at its next query: one store, no retry by the test.
      await until(async () => {
        const c = new pg.Client({ connectionString: conn() });
        await c.connect();
        const r = await c.query<{ default_transaction_read_only: string }>('SHOW default_transaction_read_only');
        await c.end();
        if (r.rows[0]?.default_transaction_read_only !== 'on') throw new Error('not reloaded yet');
      });
      await rw.store('after', 'on the new primary');
      const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${standby.port}/postgres` });
      await c.connect();
      const r = await c.query<{ value: Buffer }>("SELECT value FROM hosts_data WHERE key = 'after'");
      await c.end();
      expect(r.rows[0]?.value.toString()).toBe('on the new primary');
    } finally {
      await setReadOnly(cluster.port, false);
      await setReadOnly(standby.port, true);
    }
  });

  it('without target_session_attrs takes the first server that answers, read-only or not', async () => {
    const any = storage(`postgresql://postgres@127.0.0.1:${standby.port},127.0.0.1:${cluster.port}/postgres`);
    await expect(any.store('x', 'y')).rejects.toThrow(/read-only transaction/);
    const none = storage(`host=127.0.0.1,127.0.0.1 port=1,2 user=postgres dbname=postgres`);
    await expect(none.load('x')).rejects.toThrow(/no server of the host list could be used .*ECONNREFUSED/);
  });
});
