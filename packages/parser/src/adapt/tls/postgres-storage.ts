/**
 * @module tls/postgres-storage: `caddy.storage.postgres` in a Caddyfile (`storage postgres { ... }`): the fields of
 * the community Caddy module of that ID (connection_string or host/port/user/password/dbname/sslmode, query_timeout,
 * disable_ddl) and this runtime's table_prefix and lock_lease. A connection string may also be the one argument.
 */
import {
  caddyParseDuration,
  type OwnFields,
  type PostgresConfigLoader,
  type PostgresStorage as PostgresStorageJson,
} from '@proxy/contract';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { ModuleOfKind, Subdirective } from '../module.js';
import { struct } from '../json.js';

type Fields = OwnFields<PostgresStorageJson, 'module'>;
/** The config loader takes the storage's fields and its own `instance_id`. */
type LoaderFields = OwnFields<PostgresConfigLoader, 'module'>;

const STRINGS = ['connection_string', 'host', 'port', 'user', 'password', 'dbname', 'sslmode', 'table_prefix'] as const;

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

function oneArg(d: Dispenser): string {
  if (!d.nextArg()) throw d.argErr();
  const v = d.val();
  if (d.nextArg()) throw d.argErr();
  return v;
}

/** `postgres [<connection_string>] { <field> <value> ... }`. */
function parsePostgresStorage(d: Dispenser): Fields {
  return parsePostgresFields(d, 'storage');
}

/**
 * The connection block shared by `storage postgres` and `admin { config { load postgres } }` (the loader's JSON is
 * the storage's plus `instance_id`), from a dispenser whose first token is `postgres`.
 */
export function parsePostgresFields(d: Dispenser, what: 'storage'): Fields;
export function parsePostgresFields(d: Dispenser, what: 'config loader'): LoaderFields;
export function parsePostgresFields(d: Dispenser, what: 'storage' | 'config loader'): LoaderFields {
  if (!d.next()) throw d.err('expected tokens');
  const out: LoaderFields = {};
  if (d.nextArg()) out.connection_string = d.val();
  if (d.nextArg()) throw d.argErr();
  for (const n = d.nesting(); d.nextBlock(n); ) {
    const key = d.val();
    if (key === 'instance_id' && what === 'config loader') {
      if (out.instance_id !== undefined) throw d.err(`${key} already set`);
      out.instance_id = oneArg(d);
      continue;
    }
    if ((STRINGS as readonly string[]).includes(key)) {
      const k = key as (typeof STRINGS)[number];
      if (out[k] !== undefined) throw d.err(`${key} already set`);
      const v = oneArg(d);
      // Checked here too (the runtime does) so that the error points at the line.
      if (k === 'table_prefix' && !/^(?:[a-z_][a-z0-9_]*)?$/.test(v))
        throw d.err(`invalid table_prefix '${v}' (lower-case letters, digits and _)`);
      if (k === 'sslmode' && !SSL_MODES.includes(v)) throw d.err(`invalid sslmode '${v}' (${SSL_MODES.join(', ')})`);
      out[k] = v;
      continue;
    }
    switch (key) {
      case 'query_timeout':
      case 'lock_lease': {
        const v = oneArg(d);
        const ns = caddyParseDuration(v);
        if (typeof ns === 'string') throw d.err(`parsing ${key}: ${ns}`);
        if (ns <= 0n) throw d.err(`${key} must be positive`);
        out[key] = Number(ns);
        break;
      }
      case 'disable_ddl': {
        if (!d.nextArg()) {
          out.disable_ddl = true;
          break;
        }
        const v = d.val();
        if (v !== 'true' && v !== 'false') throw d.err(`disable_ddl: expected true or false, got '${v}'`);
        if (d.nextArg()) throw d.argErr();
        out.disable_ddl = v === 'true';
        break;
      }
      default:
        throw d.err(`unrecognized parameter '${key}'`);
    }
  }
  if (out.connection_string === undefined && out.host === undefined && out.dbname === undefined)
    throw d.err(`postgres ${what} needs a connection_string, or host and dbname`);
  return struct<LoaderFields>(out);
}

/** The connection subdirectives (of `storage postgres` and of the postgres config loader). */
export const POSTGRES_FIELDS: readonly Subdirective[] = [
  {
    name: 'connection_string',
    syntax: 'connection_string <string>',
    doc: 'A libpq connection string (URI or key=value).',
  },
  { name: 'host', syntax: 'host <host>', doc: 'The server host.' },
  { name: 'port', syntax: 'port <port>', doc: 'The server port (default 5432).' },
  { name: 'user', syntax: 'user <user>', doc: 'The role to connect as.' },
  { name: 'password', syntax: 'password <password>', doc: 'Its password.' },
  { name: 'dbname', syntax: 'dbname <name>', doc: 'The database.' },
  {
    name: 'sslmode',
    syntax: 'sslmode <mode>',
    doc: "libpq's sslmode: disable, prefer, require, verify-ca, verify-full.",
  },
  { name: 'table_prefix', syntax: 'table_prefix <prefix>', doc: 'Prefix of the table names (default certmagic_).' },
  { name: 'query_timeout', syntax: 'query_timeout <duration>', doc: 'Bound on each query (default 10s).' },
  {
    name: 'lock_lease',
    syntax: 'lock_lease <duration>',
    doc: 'How long a lock outlives a holder that stops renewing it (default 10s).',
  },
  { name: 'disable_ddl', syntax: 'disable_ddl [true|false]', doc: 'Do not create or migrate the tables.' },
];

export const PostgresStorage: ModuleOfKind<'storage'> = {
  kind: 'storage',
  name: 'postgres',
  syntax:
    'postgres [<connection_string>] { connection_string <libpq string>; host <host>; port <port>; user <user>; password <password>; dbname <name>; sslmode <mode>; table_prefix <prefix>; query_timeout <duration>; lock_lease <duration>; disable_ddl [true|false] }',
  doc: 'Stores certificates, keys and the local CA in PostgreSQL, shared by a fleet of instances (with locks around issuance).',
  subdirectives: POSTGRES_FIELDS,
  parse: parsePostgresStorage,
};
