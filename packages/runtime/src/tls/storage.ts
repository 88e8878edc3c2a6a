/** @module tls/storage: the data directory where certificates and CA keys live (Caddy's file_system storage). */
import { homedir } from 'node:os';
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { StorageConfig } from '@proxy/contract';

/** The data directory: config storage root, else $PROXY_DATA_DIR, else $XDG_DATA_HOME/caddy, else ~/.local/share/caddy. */
export function dataDir(cfg: StorageConfig | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (cfg?.module === 'file_system' && typeof cfg.root === 'string' && cfg.root) return path.resolve(cfg.root);
  if (env['PROXY_DATA_DIR']) return path.resolve(env['PROXY_DATA_DIR']);
  if (env['XDG_DATA_HOME']) return path.join(env['XDG_DATA_HOME'], 'caddy');
  return path.join(homedir(), '.local', 'share', 'caddy');
}

/** File storage under a root directory. */
export class FileStorage {
  constructor(readonly root: string) {}

  async load(key: string): Promise<string | undefined> {
    try {
      return await fsp.readFile(path.join(this.root, key), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Writes atomically (temp file + rename); private keys get mode 0600. */
  async store(key: string, value: string): Promise<void> {
    const file = path.join(this.root, key);
    await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fsp.writeFile(tmp, value, { mode: key.endsWith('.key') ? 0o600 : 0o644 });
    await fsp.rename(tmp, file);
  }
}
