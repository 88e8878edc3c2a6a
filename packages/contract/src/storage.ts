/**
 * @module storage: the JSON of the `caddy.storage.*` modules (where certificates, keys, ACME accounts and the
 * internal CA live, and the locks instances take around issuance).
 */
import type { Duration } from './core.js';
import { s, type Own } from './schema.js';

/**
 * PostgreSQL storage (`caddy.storage.postgres`). The connection fields are those of the community Caddy module of
 * the same ID (github.com/yroc92/postgres-storage); `table_prefix` and `lock_lease` are this runtime's.
 */
export interface PostgresStorage {
  /** Module name. */
  module: 'postgres';
  /**
   * A libpq connection string (`postgres://user:pw@host:port/db?sslmode=...` or `host=... dbname=...`); a host list
   * (`host=a,b`) is tried in order, skipping read-only servers with `target_session_attrs=read-write`.
   */
  connection_string?: string;
  /** Server host (used when there is no connection string). */
  host?: string;
  /** Server port (default 5432). */
  port?: string | number;
  /** Role name. */
  user?: string;
  /** Password. */
  password?: string;
  /** Database name. */
  dbname?: string;
  /** libpq's sslmode: disable, prefer, require, verify-ca, verify-full. */
  sslmode?: string;
  /** Prefix of the table names (default `certmagic_`: `certmagic_data`, `certmagic_locks`, `certmagic_migrations`). */
  table_prefix?: string;
  /** Bound on each query (default 10s). */
  query_timeout?: Duration;
  /** How long a lock stays held without its holder renewing it (default 10s; renewed every third of it). */
  lock_lease?: Duration;
  /** Skips creating and migrating the tables (they must exist). */
  disable_ddl?: boolean;
}

/** The connection and table fields of the postgres storage, which the postgres config loader shares. */
const postgresFields = {
  connection_string: s.str,
  host: s.str,
  port: s.oneOf('a port number or string', s.str, s.int),
  user: s.str,
  password: s.str,
  dbname: s.str,
  sslmode: s.str,
  table_prefix: s.str,
  query_timeout: s.dur,
  lock_lease: s.dur,
  disable_ddl: s.bool,
};

/** The schema of `caddy.storage.postgres`. */
export const postgresStorageSchema = s.obj<Own<PostgresStorage, 'module'>>(postgresFields);

/** The schema of `caddy.storage.file_system` (its type is `FileStorage` in tls.ts). */
export const fileStorageSchema = s.obj<{ root?: string }>({ root: s.str });

/**
 * The PostgreSQL config loader (`caddy.config_loaders.postgres`, under `admin.config.load`): the active config of
 * the fleet's config table (`proxy config push`), followed with LISTEN/NOTIFY. Its connection fields are those of
 * the postgres storage; the tables are beside the storage's when the prefix is the same.
 */
export interface PostgresConfigLoader extends Omit<PostgresStorage, 'module'> {
  /** Module name. */
  module: 'postgres';
  /** This instance's name in the status table (default: the instance ID in the data folder, as Caddy's). */
  instance_id?: string;
}

/** The schema of `caddy.config_loaders.postgres`. */
export const postgresConfigLoaderSchema = s.obj<Own<PostgresConfigLoader, 'module'>>({
  ...postgresFields,
  instance_id: s.str,
});
