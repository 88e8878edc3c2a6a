/** @module commands/stop: `proxy stop`: asks a running instance to stop through its admin endpoint. */
import type { Command } from 'commander';
import { adminAddress, adminPost } from './admin-client.js';
import { adapterFor, loadConfigFile } from './config-file.js';
import { reportError } from './report.js';

/** Options of `proxy stop`. */
export interface StopOptions {
  address?: string;
  config?: string;
  adapter?: string;
}

/** POSTs /stop. Resolves with the exit code. */
export async function stopCommand(opts: StopOptions): Promise<number> {
  try {
    const json = opts.config ? await loadConfigFile(opts.config, adapterFor(opts.config, opts.adapter)) : undefined;
    await adminPost(adminAddress(opts.address, json), '/stop');
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

/** Adds `stop` to the program. */
export function registerStop(program: Command): void {
  program
    .command('stop')
    .description('Stop a running instance through its admin endpoint')
    .option('--address <addr>', 'admin endpoint (default: localhost:2019)')
    .option('-c, --config <file>', 'read the admin address from this config')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json')
    .action(async (opts: StopOptions) => {
      process.exitCode = await stopCommand(opts);
    });
}
