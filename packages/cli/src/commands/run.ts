/** @module commands/run: `proxy run`: serves a config in the foreground until stopped. */
import { watch } from 'node:fs';
import type { Command } from 'commander';
import { installSignalHandlers, loadConfig } from '@proxy/runtime';
import { adapterFor, adminAdapters, loadConfigFile, loadEnvFile, resolveConfigPath } from './config-file.js';
import { reportError } from './report.js';

/** Options of `proxy run`. */
export interface RunOptions {
  config?: string;
  adapter?: string;
  watch?: boolean;
  envfile?: string;
}

/** Runs until the instance stops (signal, admin /stop). Resolves with the exit code. */
export async function runCommand(opts: RunOptions): Promise<number> {
  try {
    if (opts.envfile) await loadEnvFile(opts.envfile);
    const file = resolveConfigPath(opts.config);
    const adapter = adapterFor(file, opts.adapter);
    const inst = await loadConfig(await loadConfigFile(file, adapter), { adapters: adminAdapters });
    installSignalHandlers(inst);
    // One failed promise somewhere must not take every other connection down with the process.
    const onRejection = (e: unknown) => inst.logger.error({ error: e instanceof Error ? e.message : String(e) }, 'unhandled rejection');
    process.on('unhandledRejection', onRejection);
    void inst.stopped.then(() => process.off('unhandledRejection', onRejection));
    if (opts.watch) {
      let timer: NodeJS.Timeout | undefined;
      const watcher = watch(file, () => {
        clearTimeout(timer);
        // Editors write files in several steps; reload once they are done.
        timer = setTimeout(() => {
          void loadConfigFile(file, adapter)
            .then((json) => inst.reload(json))
            .then(() => inst.logger.info({ file }, 'config reloaded'))
            .catch((e: unknown) => inst.logger.error({ file, error: (e as Error).message }, 'reload failed; keeping the running config'));
        }, 200);
      });
      void inst.stopped.then(() => { watcher.close(); clearTimeout(timer); });
    }
    await inst.stopped;
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

/** Adds `run` to the program. */
export function registerRun(program: Command): void {
  program.command('run')
    .description('Serve a config in the foreground until stopped (SIGINT/SIGTERM or the admin API)')
    .option('-c, --config <file>', 'config file (default: ./Caddyfile)')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json (default: by file extension)')
    .option('-w, --watch', 'reload the config when the file changes')
    .option('--envfile <file>', 'load environment variables (KEY=VALUE lines) before reading the config')
    .action(async (opts: RunOptions) => {
      process.exitCode = await runCommand(opts);
      // Like `caddy run`, exit once stopped: sessions a layer4 route still proxies must not keep the
      // process alive past the grace period. The short delay lets the logs flush.
      setTimeout(() => process.exit(), 200).unref();
    });
}
