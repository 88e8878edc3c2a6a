/**
 * @module filesystems-app: current Caddy's `caddy.filesystems` app. Caddy has no standard `caddy.fs.*` module and
 * neither has this runtime, so validation refuses any named file system by its module ID; an empty app loads.
 */
import { filesystemsAppSchema } from '@proxy/contract';
import type { App } from './app.js';
import type { RuntimeModule } from './modules.js';

export const filesystemsAppModule: RuntimeModule<App> = {
  id: 'caddy.filesystems',
  kind: 'app',
  doc: 'Named file systems for fs and file_server fs (no caddy.fs modules are built in).',
  schema: filesystemsAppSchema,
  create: () => ({ start: async () => {}, stop: async () => {} }),
};
