/**
 * @module paths: Caddy's folders: home, config (autosave.json lives there) and data (certificates, the local CA;
 * the runtime's file_system storage default).
 */
import { homedir } from 'node:os';
import path from 'node:path';

/** The home folder ($HOME, else the OS's). */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['HOME'] || homedir() || '.';
}

/** The config folder: $PROXY_CONFIG_DIR, else $XDG_CONFIG_HOME/caddy, else ~/.config/caddy (Caddy's AppConfigDir). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['PROXY_CONFIG_DIR']) return path.resolve(env['PROXY_CONFIG_DIR']);
  if (env['XDG_CONFIG_HOME']) return path.join(env['XDG_CONFIG_HOME'], 'caddy');
  return path.join(homeDir(env), '.config', 'caddy');
}

/** Where the last loaded config is saved (Caddy's ConfigAutosavePath). */
export function autosavePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'autosave.json');
}
