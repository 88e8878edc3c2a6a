/**
 * @module storage/postgres-schema: the tables of the postgres storage and their migrations. A migrations table
 * records the versions applied; instances starting together serialize on a transaction-scoped advisory lock, so
 * each migration runs once, in one transaction with its version row. The data and lock tables have the shape of
 * the community Caddy module's (`certmagic_data`, `certmagic_locks`), with byte-ordered keys for prefix scans and
 * the lock holder's token.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

/** The quoted table names for a prefix. */
export interface Tables {
  data: string;
  locks: string;
  migrations: string;
  /** Every config pushed to the fleet, one of them active (storage/fleet-config.ts). */
  configs: string;
  /** What each instance made of the configs it was told about. */
  configStatus: string;
}

export function tables(prefix: string): Tables {
  if (!/^(?:[a-z_][a-z0-9_]*)?$/.test(prefix) || prefix.length > 40)
    throw new Error(`invalid table_prefix "${prefix}" (lower-case letters, digits and _, at most 40)`);
  return {
    data: `"${prefix}data"`,
    locks: `"${prefix}locks"`,
    migrations: `"${prefix}migrations"`,
    configs: `"${prefix}configs"`,
    configStatus: `"${prefix}config_status"`,
  };
}

/** Each migration's statements, in version order (version = index + 1). Never edit one that shipped: add another. */
const MIGRATIONS: ReadonlyArray<(t: Tables) => string[]> = [
  (t) => [
    `CREATE TABLE IF NOT EXISTS ${t.data} (
      key text COLLATE "C" PRIMARY KEY,
      value bytea NOT NULL,
      modified timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE IF NOT EXISTS ${t.locks} (
      key text COLLATE "C" PRIMARY KEY,
      expires timestamptz NOT NULL,
      owner text)`,
  ],
  // The fleet's configs: every version pushed is kept (for rollback), at most one is active.
  (t) => [
    `CREATE TABLE IF NOT EXISTS ${t.configs} (
      id bigserial PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      sha256 text NOT NULL,
      config json NOT NULL,
      source text,
      adapter text NOT NULL,
      author text NOT NULL,
      active boolean NOT NULL DEFAULT false)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS ${t.configs.slice(0, -1)}_one_active" ON ${t.configs} (active) WHERE active`,
    `CREATE TABLE IF NOT EXISTS ${t.configStatus} (
      instance text NOT NULL,
      version bigint NOT NULL,
      ok boolean NOT NULL,
      error text,
      at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (instance, version))`,
  ],
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** A stable advisory lock key for the migrations of one prefix. */
function migrationLockKey(prefix: string): string {
  return createHash('sha256').update(`proxy storage migrations ${prefix}`).digest().readBigInt64BE(0).toString();
}

/** Creates the tables or brings them to SCHEMA_VERSION; refuses a database migrated by a newer build. */
export async function migrate(pool: Pool, prefix: string): Promise<void> {
  const t = tables(prefix);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(prefix)]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${t.migrations} (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`,
    );
    const r = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${t.migrations}`);
    const current = r.rows[0]?.v ?? 0;
    if (current > SCHEMA_VERSION)
      throw new Error(
        `the storage tables are at schema version ${current}, newer than this build knows (${SCHEMA_VERSION})`,
      );
    for (let v = current + 1; v <= SCHEMA_VERSION; v++) {
      for (const sql of MIGRATIONS[v - 1]!(t)) await client.query(sql);
      await client.query(`INSERT INTO ${t.migrations} (version) VALUES ($1)`, [v]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** With `disable_ddl`: checks the tables are there at this build's version. */
export async function checkSchema(pool: Pool, prefix: string): Promise<void> {
  const t = tables(prefix);
  let v: number;
  try {
    const r = await pool.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${t.migrations}`);
    v = r.rows[0]?.v ?? 0;
  } catch (e) {
    throw new Error(`the storage tables are missing (disable_ddl is set): ${(e as Error).message}`);
  }
  if (v !== SCHEMA_VERSION)
    throw new Error(
      `the storage tables are at schema version ${v}, this build needs ${SCHEMA_VERSION} (disable_ddl is set)`,
    );
}
