/**
 * @module commands/config: `proxy config push|rollback|list --to CONNECTION`: the fleet's config in PostgreSQL
 * (the tables of the postgres storage, storage/fleet-config.ts in the runtime). A push is validated as
 * `proxy validate` does before it is stored; instances whose `admin.config.load` is the postgres loader follow
 * the active version.
 */
import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import {
  ConfigError,
  FleetConfigStore,
  PostgresStorage,
  postgresSettings,
  validateConfig,
  createRootLogger,
} from '@proxy/runtime';
import { adapterFor, ConfigFileError, loadConfigFile } from './config-file.js';
import { reportError } from './report.js';

/** Options shared by the subcommands. */
export interface FleetOptions {
  /** libpq connection string of the fleet's database. */
  to: string;
  /** Table prefix (the postgres storage's; default certmagic_). */
  tablePrefix?: string;
}

/** Opens the fleet's config tables; the caller closes the storage. */
function openStore(opts: FleetOptions): FleetConfigStore {
  const prefix = opts.tablePrefix ?? 'certmagic_';
  let settings: ReturnType<typeof postgresSettings>;
  try {
    settings = postgresSettings({ connection_string: opts.to, table_prefix: prefix });
  } catch (e) {
    throw new ConfigFileError(`--to: ${(e as Error).message}`);
  }
  return new FleetConfigStore(new PostgresStorage(settings, createRootLogger({ level: 'silent' })), prefix);
}

async function withStore<T>(opts: FleetOptions, fn: (s: FleetConfigStore) => Promise<T>): Promise<T> {
  const store = openStore(opts);
  try {
    return await fn(store);
  } finally {
    await store.storage.close();
  }
}

/** A number in 1024..65535 for a variable name. */
function standIn(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 1024 + (h % 64512);
}

function author(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return `${user}@${hostname()}`;
}

/** Validates a config file and stores it as the active version. Resolves with the exit code. */
export async function configPush(
  file: string,
  opts: FleetOptions & { adapter?: string },
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  try {
    const adapter = adapterFor(file, opts.adapter);
    const json = await loadConfigFile(file, adapter);
    // The instances have their own environment ({env.PORT} in a listen address differs per instance): a variable
    // unset here is taken as set there, with a stand-in value that fits a port or a host (one per name, so two
    // such ports do not look like one address).
    const env = new Proxy(process.env, {
      get: (t, k) => (typeof k === 'string' ? (t[k] ?? String(standIn(k))) : undefined),
    });
    const errors = await validateConfig(json, { env });
    if (errors.length) throw new ConfigError(errors);
    const source = await readFile(file, 'utf8');
    const r = await withStore(opts, (s) => s.push(json, source, adapter, author()));
    out(r.unchanged ? `unchanged: version ${r.id} is active\n` : `pushed version ${r.id}\n`);
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

/** Re-activates the given version, else the one before the active version. Resolves with the exit code. */
export async function configRollback(
  opts: FleetOptions & { version?: string },
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  try {
    let to: number | undefined;
    if (opts.version !== undefined) {
      to = Number(opts.version);
      if (!Number.isSafeInteger(to) || to < 1)
        throw new ConfigFileError(`--version: "${opts.version}" is not a version`);
    }
    const id = await withStore(opts, (s) => s.rollback(to));
    out(`version ${id} is active\n`);
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

/** Prints every version (the active one marked) with what the instances reported. Resolves with the exit code. */
export async function configList(
  opts: FleetOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  try {
    const [versions, statuses] = await withStore(opts, async (s) => [await s.list(), await s.statuses()] as const);
    for (const v of versions) {
      const mine = statuses.filter((st) => st.version === v.id);
      const ok = mine.filter((st) => st.ok).length;
      const failed = mine.filter((st) => !st.ok);
      out(
        `${v.active ? '*' : ' '} ${v.id}\t${v.createdAt.toISOString()}\t${v.sha256.slice(0, 12)}\t${v.adapter}\t${v.author}\tloaded: ${ok}, failed: ${failed.length}\n`,
      );
      for (const f of failed) out(`\t\tfailed on ${f.instance}: ${f.error ?? ''}\n`);
    }
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

/** Adds `config` with its subcommands `push`, `rollback` and `list`. */
export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description("Manages the fleet's config in PostgreSQL (followed by instances with the postgres config loader)");
  const to = (c: Command): Command =>
    c
      .requiredOption('--to <connection>', 'libpq connection string of the fleet database')
      .option('--table-prefix <prefix>', 'table prefix (the postgres storage\'s, default "certmagic_")');
  to(
    config
      .command('push')
      .description('Validates a config and stores it as the active version')
      .argument('<file>', 'the config file')
      .option('-a, --adapter <name>', 'config adapter: caddyfile or json (default: by file extension)'),
  ).action(async (file: string, opts: FleetOptions & { adapter?: string }) => {
    process.exitCode = await configPush(file, opts);
  });
  to(
    config
      .command('rollback')
      .description('Makes the previous version (or --version N) active again')
      .option('--version <n>', 'the version to activate'),
  ).action(async (opts: FleetOptions & { version?: string }) => {
    process.exitCode = await configRollback(opts);
  });
  to(config.command('list').description('Lists the stored versions and what the instances made of them')).action(
    async (opts: FleetOptions) => {
      process.exitCode = await configList(opts);
    },
  );
}
