/** @module config-loader/modules: the `caddy.config_loaders.*` modules (`admin.config.load`). */
import { type PostgresConfigLoader, postgresConfigLoaderSchema } from '@proxy/contract';
import type { RuntimeModule } from '../modules.js';
import { postgresSettings } from '../storage/postgres.js';
import { ConfigError } from '../util/errors.js';

export const configLoaderModules: RuntimeModule<PostgresConfigLoader>[] = [
  {
    id: 'caddy.config_loaders.postgres',
    kind: 'part',
    doc: "Loads the fleet's active config from PostgreSQL (`proxy config push`) and follows its changes.",
    schema: postgresConfigLoaderSchema,
    create: (json, _ctx, path) => {
      const { module: _, instance_id: __, ...rest } = json as PostgresConfigLoader;
      try {
        postgresSettings(rest);
      } catch (e) {
        throw ConfigError.at(path, (e as Error).message);
      }
      return json as PostgresConfigLoader;
    },
  },
];
