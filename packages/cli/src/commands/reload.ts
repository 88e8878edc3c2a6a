/** @module commands/reload: `proxy reload`: sends a config to a running instance's admin endpoint. */
import type { Command } from 'commander';
import { adminAddress, adminPost } from './admin-client.js';
import { adapterFor, loadConfigFile, resolveConfigPath } from './config-file.js';
import { reportError } from './report.js';

/** Options of `proxy reload`. */
export interface ReloadOptions {
  config?: string;
  adapter?: string;
  address?: string;
  /** Caddy's: reload even when the config is unchanged. Every reload here loads the config anew, so no-op. */
  force?: boolean;
}

/** Loads the file and POSTs it to /load. Resolves with the exit code. */
export async function reloadCommand(opts: ReloadOptions): Promise<number> {
  try {
    const file = resolveConfigPath(opts.config);
    const json = await loadConfigFile(file, adapterFor(file, opts.adapter));
    await adminPost(adminAddress(opts.address, json), '/load', json);
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

/** Adds `reload` to the program. */
export function registerReload(program: Command): void {
  program
    .command('reload')
    .description('Load a new config into a running instance (the old one keeps serving if it fails)')
    .option('-c, --config <file>', 'config file (default: ./Caddyfile)')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json')
    .option('--address <addr>', "admin endpoint (default: the config's admin.listen, else localhost:2019)")
    .option('--force', 'reload even if the config is unchanged (every reload does: for Caddy compatibility)')
    .action(async (opts: ReloadOptions) => {
      process.exitCode = await reloadCommand(opts);
    });
}
