/** @module tls/storage: the default data directory where certificates and CA keys live (Caddy's file_system storage). */
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { StorageConfig } from '@proxy/contract';

export { FileStorage } from '../storage/file-system.js';

/** The data directory: config storage root, else $PROXY_DATA_DIR, else $XDG_DATA_HOME/caddy, else ~/.local/share/caddy. */
export function dataDir(cfg: StorageConfig | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (cfg?.module === 'file_system' && typeof cfg.root === 'string' && cfg.root) return path.resolve(cfg.root);
  if (env['PROXY_DATA_DIR']) return path.resolve(env['PROXY_DATA_DIR']);
  if (env['XDG_DATA_HOME']) return path.join(env['XDG_DATA_HOME'], 'caddy');
  return path.join(homedir(), '.local', 'share', 'caddy');
}
