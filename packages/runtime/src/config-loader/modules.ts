/** @module config-loader/modules: the `caddy.config_loaders.*` modules (`admin.config.load`). */
import { isObject, type PostgresConfigLoader, postgresConfigLoaderSchema } from '@proxy/contract';
import type { RuntimeModule } from '../modules.js';
import { postgresSettings } from '../storage/postgres.js';
import type { ValidationError } from '../util/errors.js';

/** The instance runs the loader itself (instance.ts); the module gives its schema and doc. */
export const configLoaderModules: RuntimeModule<PostgresConfigLoader>[] = [
  {
    id: 'caddy.config_loaders.postgres',
    kind: 'part',
    doc: "Loads the fleet's active config from PostgreSQL (`proxy config push`) and follows its changes.",
    schema: postgresConfigLoaderSchema,
  },
];

/** What the schema cannot tell about a postgres loader (its connection settings), at `admin.config.load`. */
export function checkConfigLoader(load: unknown): ValidationError[] {
  if (!isObject(load) || load['module'] !== 'postgres') return [];
  const { module: _, instance_id: __, ...rest } = load as unknown as PostgresConfigLoader;
  try {
    postgresSettings(rest);
    return [];
  } catch (e) {
    return [{ path: 'admin.config.load', message: (e as Error).message }];
  }
}
