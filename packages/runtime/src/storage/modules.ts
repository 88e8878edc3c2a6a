/**
 * @module storage/modules: the `caddy.storage.*` modules and the storage a config uses (its `storage`, else file
 * storage in the default data folder), shared by the apps of that config through the load context.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import {
  fileStorageSchema,
  postgresStorageSchema,
  type PostgresStorage as PostgresStorageJson,
  type StorageConfig,
} from '@proxy/contract';
import type { LoadContext, RuntimeModule } from '../modules.js';
import { ConfigError } from '../util/errors.js';
import { dataDir } from '../tls/storage.js';
import { FileStorage } from './file-system.js';
import { PostgresStorage, postgresSettings, sharedPostgresStorage } from './postgres.js';
import type { Storage } from './storage.js';
import { CachedStorage } from './cached.js';

/** Where the load context keeps the config's storage. */
export const STORAGE = 'storage';

export const storageModules: RuntimeModule<Storage>[] = [
  {
    id: 'caddy.storage.file_system',
    kind: 'part',
    doc: 'Stores certificates, keys and the local CA as files under a folder.',
    schema: fileStorageSchema,
    create: (json, ctx) => new FileStorage(dataDir(json as { module: 'file_system'; root?: string }, ctx.env)),
  },
  {
    id: 'caddy.storage.postgres',
    kind: 'part',
    doc: 'Stores certificates, keys and the local CA in PostgreSQL, with locks shared by every instance using it.',
    schema: postgresStorageSchema,
    create: (json, ctx, path) => {
      const { module: _, ...rest } = json as PostgresStorageJson;
      try {
        const logger = ctx.logger.child({ logger: 'storage.postgres' });
        return cachedPostgresStorage(sharedPostgresStorage(rest, logger), dataDir(undefined, ctx.env), logger);
      } catch (e) {
        throw ConfigError.at(path, (e as Error).message);
      }
    },
  },
];

const cached = new Map<string, CachedStorage>();

/**
 * The shared storage with its local copy under the data folder (one per storage and folder in a process, so an
 * outage is logged once whatever reloads happen).
 */
function cachedPostgresStorage(st: PostgresStorage, data: string, logger: Logger): CachedStorage {
  const dir = path.join(data, 'storage-cache', createHash('sha256').update(st.id).digest('hex').slice(0, 16));
  let c = cached.get(dir);
  if (!c) {
    c = new CachedStorage(st, new FileStorage(dir), logger, st.description);
    cached.set(dir, c);
  }
  return c;
}

/** Loads the config's storage (connecting and creating its tables when it is a database) into the context. */
export async function loadStorage(json: unknown, ctx: LoadContext): Promise<Storage> {
  let storage: Storage;
  if (json === undefined) storage = new FileStorage(dataDir(undefined, ctx.env));
  else {
    try {
      storage = await ctx.load<Storage>(json, 'caddy.storage', 'module', 'storage');
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw ConfigError.at('storage', (e as Error).message);
    }
  }
  ctx.apps.set(STORAGE, storage);
  return storage;
}

/** The storage of the config being loaded (file storage in the default data folder when none was loaded). */
export function storageOf(ctx: LoadContext): Storage {
  return (ctx.apps.get(STORAGE) as Storage | undefined) ?? new FileStorage(dataDir(undefined, ctx.env));
}

/**
 * A config's storage outside of a running config (the `storage` commands): the caller closes it. Refuses a
 * storage module this runtime does not have.
 */
export function openStorage(json: StorageConfig | undefined, env: NodeJS.ProcessEnv = process.env): Storage {
  if (json === undefined || json.module === 'file_system') return new FileStorage(dataDir(json, env));
  if (json.module === 'postgres') {
    const { module: _, ...rest } = json as unknown as PostgresStorageJson;
    return new PostgresStorage(postgresSettings(rest), pino({ level: 'silent' }));
  }
  throw new Error(`storage module "${String(json.module)}" is not supported (file_system and postgres are)`);
}
