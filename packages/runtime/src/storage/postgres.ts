/**
 * @module storage/postgres: `caddy.storage.postgres`: keys in one table (bytea values written in single statements,
 * so a reader sees the old or the new value), locks as lease rows in another. A lock row names its holder (a random
 * token) and expires a lease after it was taken; the holder renews it every third of the lease, so a holder that
 * dies or loses the database loses the lock within one lease (the token starts with its host and pid), and times come from the database's clock, not from
 * each instance's. The tables are created on first use (storage/postgres-schema.ts).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { ClientConfig, Pool } from 'pg';
import type { Logger } from 'pino';
import { durationOr, type PostgresStorage as PostgresStorageJson } from '@proxy/contract';
import { describe, hostList, parseConninfo, toClientConfig } from './connection-string.js';
import { Failover, type Host } from './postgres-failover.js';
import { pgLib } from './pg-lib.js';
import { byBytes } from './file-system.js';
import { checkSchema, migrate, tables, type Tables } from './postgres-schema.js';
import { checkKey, checkPrefix, type KeyInfo, type LockOptions, sleep, type Storage } from './storage.js';

/** The settings a postgres storage is built from (its JSON, resolved). */
export interface PostgresSettings {
  /** The connection (to the first host of the list). */
  client: ClientConfig;
  /** libpq's host list, tried in order. */
  hosts: Host[];
  /** Only a server that takes writes will do (target_session_attrs=read-write). */
  readWrite: boolean;
  prefix: string;
  queryTimeoutMs: number;
  leaseMs: number;
  disableDdl: boolean;
  /** How often a waiter tries a taken lock again (ms). */
  pollMs?: number;
}

/** Resolves the module's JSON (connection string, then the separate fields over it); throws on what is wrong. */
export function postgresSettings(json: Omit<PostgresStorageJson, 'module'>): PostgresSettings {
  const kw = json.connection_string ? parseConninfo(json.connection_string) : {};
  if (json.host) kw['host'] = json.host;
  if (json.port !== undefined && json.port !== '') kw['port'] = String(json.port);
  if (json.user) kw['user'] = json.user;
  if (json.password !== undefined) kw['password'] = json.password;
  if (json.dbname) kw['dbname'] = json.dbname;
  if (json.sslmode) kw['sslmode'] = json.sslmode;
  const prefix = json.table_prefix ?? 'certmagic_';
  tables(prefix);
  const leaseMs = durationOr(json.lock_lease, 10_000);
  if (leaseMs < 1000) throw new Error('lock_lease must be at least 1s');
  return {
    client: toClientConfig(kw),
    ...hostList(kw),
    prefix,
    queryTimeoutMs: durationOr(json.query_timeout, 10_000),
    leaseMs,
    disableDdl: json.disable_ddl === true,
  };
}

/** LIKE pattern for the keys under `prefix/` (or every key). */
function under(prefix: string): string {
  return prefix === '' ? '%' : `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
}

export class PostgresStorage implements Storage {
  readonly id: string;
  /** The pool, made on first use (node-postgres is loaded then). */
  private poolLoad: Promise<Pool> | undefined;
  private readonly t: Tables;
  private readonly where: string;
  private ready: Promise<void> | undefined;
  private readonly held = new Map<string, { owner: string; timer: NodeJS.Timeout }>();
  private readonly failover: Failover;
  /** An idle connection was dropped and no query succeeded since. */
  private lost = false;

  constructor(
    private readonly settings: PostgresSettings,
    private readonly logger: Logger,
  ) {
    this.t = tables(settings.prefix);
    this.where = describe(settings.client);
    this.id = `postgres:${this.where}:${settings.prefix}`;
    this.failover = new Failover(settings.hosts ?? [], settings.readWrite ?? false);
  }

  private pool(): Promise<Pool> {
    return (this.poolLoad ??= pgLib().then((pg) => {
      const settings = this.settings;
      const pool = new pg.Pool({
        ...settings.client,
        ...(this.failover.hosts.length > 1 || this.failover.readWrite
          ? { Client: this.failover.clientClass(pg.Client) }
          : {}),
        connectionTimeoutMillis: settings.client.connectionTimeoutMillis ?? 10_000,
        query_timeout: settings.queryTimeoutMs,
        max: 4,
        idleTimeoutMillis: 10_000,
        // Idle connections must not keep a process alive that is otherwise done (the CLI, a stopped instance).
        allowExitOnIdle: true,
      });
      // An idle connection the server drops (restart, network) is reported here; the next query opens another. A
      // restart drops every idle connection at once: logged once, until a query succeeds again.
      pool.on('error', (e) => {
        if (this.lost) return;
        this.lost = true;
        this.logger.warn({ storage: this.where, error: e.message }, 'postgres storage connection lost');
      });
      return pool;
    }));
  }

  /** Connects and creates or migrates the tables once (again after a failure). */
  provision(): Promise<void> {
    if (!this.ready) {
      const p = this.pool().then((pool) =>
        this.failover.run(() =>
          this.settings.disableDdl ? checkSchema(pool, this.settings.prefix) : migrate(pool, this.settings.prefix),
        ),
      );
      this.ready = p.catch((e: unknown) => {
        this.ready = undefined;
        throw this.wrap(e);
      });
    }
    return this.ready;
  }

  private wrap(e: unknown): Error {
    const msg = (e as Error).message || String(e);
    return msg.startsWith('postgres storage') ? (e as Error) : new Error(`postgres storage ${this.where}: ${msg}`);
  }

  private async q<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    await this.provision();
    const pool = await this.pool();
    try {
      const r = await this.failover.run(() => pool.query<R>(sql, params));
      this.lost = false;
      return r;
    } catch (e) {
      throw this.wrap(e);
    }
  }

  /** The quoted table names (the fleet's config tables sit beside the data, storage/fleet-config.ts). */
  get tableNames(): Tables {
    return this.t;
  }

  /** Where it connects, without the password (for messages). */
  get description(): string {
    return this.where;
  }

  /** Runs `fn` in one transaction: it commits when `fn` resolves, rolls back when it throws. */
  async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.provision();
    const pool = await this.pool();
    try {
      return await this.failover.run(async () => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const r = await fn(c);
          await c.query('COMMIT');
          c.release();
          this.lost = false;
          return r;
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          // A connection that failed mid-transaction is not given back to the pool.
          c.release(e as Error);
          throw e;
        }
      });
    } catch (e) {
      throw this.wrap(e);
    }
  }

  /** A connection outside the pool (LISTEN needs one that stays), on the host list's usable server; the caller ends it. */
  async dedicatedClient(): Promise<pg.Client> {
    await this.provision();
    const pg = await pgLib();
    const Client =
      this.failover.hosts.length > 1 || this.failover.readWrite ? this.failover.clientClass(pg.Client) : pg.Client;
    try {
      return await this.failover.run(async () => {
        const c = new Client({
          ...this.settings.client,
          connectionTimeoutMillis: this.settings.client.connectionTimeoutMillis ?? 10_000,
          // A connection that only listens sends nothing: TCP keep-alive finds a peer that vanished without a FIN.
          keepAlive: true,
          keepAliveInitialDelayMillis: 10_000,
        });
        try {
          await c.connect();
        } catch (e) {
          await c.end().catch(() => undefined);
          throw e;
        }
        return c;
      });
    } catch (e) {
      throw this.wrap(e);
    }
  }

  async load(key: string): Promise<Buffer | undefined> {
    const r = await this.q<{ value: Buffer }>(`SELECT value FROM ${this.t.data} WHERE key = $1`, [checkKey(key)]);
    return r.rows[0]?.value;
  }

  async store(key: string, value: string | Uint8Array): Promise<void> {
    await this.q(
      `INSERT INTO ${this.t.data} (key, value, modified) VALUES ($1, $2, now())
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, modified = excluded.modified`,
      [checkKey(key), typeof value === 'string' ? Buffer.from(value) : Buffer.from(value)],
    );
  }

  async delete(key: string): Promise<void> {
    await this.q(`DELETE FROM ${this.t.data} WHERE key = $1 OR key LIKE $2`, [checkKey(key), under(key)]);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async list(prefix: string, recursive: boolean): Promise<string[]> {
    const p = checkPrefix(prefix);
    const r = await this.q<{ key: string }>(`SELECT key FROM ${this.t.data} WHERE key LIKE $1`, [under(p)]);
    const keys = r.rows.map((row) => row.key);
    if (recursive) return keys.sort(byBytes);
    const start = p === '' ? 0 : p.length + 1;
    const children = new Set<string>();
    for (const k of keys) {
      const slash = k.indexOf('/', start);
      children.add(slash < 0 ? k : k.slice(0, slash));
    }
    return [...children].sort(byBytes);
  }

  async stat(key: string): Promise<KeyInfo | undefined> {
    const r = await this.q<{ size: number; modified: Date }>(
      `SELECT octet_length(value) AS size, modified FROM ${this.t.data} WHERE key = $1`,
      [checkKey(key)],
    );
    const row = r.rows[0];
    if (row) return { key, modified: row.modified, size: Number(row.size), terminal: true };
    const d = await this.q<{ modified: Date | null }>(
      `SELECT max(modified) AS modified FROM ${this.t.data} WHERE key LIKE $1`,
      [under(key)],
    );
    const m = d.rows[0]?.modified;
    return m ? { key, modified: m, size: 0, terminal: false } : undefined;
  }

  /** Takes the lock row if it is free or its lease ran out; true when this call now holds it. */
  private async tryLock(name: string, owner: string): Promise<boolean> {
    const r = await this.q(
      `INSERT INTO ${this.t.locks} AS l (key, expires, owner)
       VALUES ($1, now() + $3 * interval '1 millisecond', $2)
       ON CONFLICT (key) DO UPDATE SET expires = excluded.expires, owner = excluded.owner WHERE l.expires < now()
       RETURNING l.owner`,
      [name, owner, this.settings.leaseMs],
    );
    return r.rowCount === 1;
  }

  async lock(name: string, opts: LockOptions = {}): Promise<void> {
    // Who holds it, for people looking at the table: host and pid, then what makes it unique.
    const owner = `${hostname()}/${process.pid}/${randomUUID()}`;
    const poll = this.settings.pollMs ?? Math.min(1000, this.settings.leaseMs / 4);
    for (;;) {
      opts.signal?.throwIfAborted();
      if (await this.tryLock(name, owner)) break;
      // Jittered: waiters of a fleet do not all ask again at the same instant.
      await sleep(poll * (0.5 + Math.random()), opts.signal);
    }
    const timer = setInterval(() => void this.renew(name, owner), this.settings.leaseMs / 3);
    timer.unref();
    this.held.set(name, { owner, timer });
  }

  private async renew(name: string, owner: string): Promise<void> {
    try {
      const r = await this.q(
        `UPDATE ${this.t.locks} SET expires = now() + $3 * interval '1 millisecond' WHERE key = $1 AND owner = $2`,
        [name, owner, this.settings.leaseMs],
      );
      if (r.rowCount === 0 && this.held.get(name)?.owner === owner) {
        this.logger.error({ storage: this.where, lock: name }, 'lost a storage lock: its lease ran out before renewal');
        this.stopRenewing(name);
      }
    } catch (e) {
      this.logger.warn(
        { storage: this.where, lock: name, error: (e as Error).message },
        'could not renew storage lock',
      );
    }
  }

  private stopRenewing(name: string): string | undefined {
    const h = this.held.get(name);
    if (h) clearInterval(h.timer);
    this.held.delete(name);
    return h?.owner;
  }

  /** Releases the lock; when the database cannot be reached the lease runs out instead (logged, not thrown). */
  async unlock(name: string): Promise<void> {
    const owner = this.stopRenewing(name);
    if (!owner) return;
    try {
      await this.q(`DELETE FROM ${this.t.locks} WHERE key = $1 AND owner = $2`, [name, owner]);
    } catch (e) {
      this.logger.warn(
        { storage: this.where, lock: name, error: (e as Error).message },
        'could not release storage lock',
      );
    }
  }

  async close(): Promise<void> {
    for (const name of [...this.held.keys()]) await this.unlock(name);
    if (this.poolLoad) await (await this.poolLoad).end();
  }
}

const shared = new Map<string, PostgresStorage>();

/**
 * One storage per distinct config in a process: reloads and the internal CA (cached for the process) keep using
 * the same pool, which holds no connection while idle.
 */
export function sharedPostgresStorage(json: Omit<PostgresStorageJson, 'module'>, logger: Logger): PostgresStorage {
  const key = JSON.stringify(json);
  let st = shared.get(key);
  if (!st) {
    st = new PostgresStorage(postgresSettings(json), logger);
    shared.set(key, st);
  }
  return st;
}
