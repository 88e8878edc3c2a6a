/** @module commands/run: `proxy run`: serves a config in the foreground until stopped. */
import { watch } from 'node:fs';
import type { Command } from 'commander';
import { installSignalHandlers, loadConfig, type RunningInstance } from '@proxy/runtime';
import { adapterFor, adminAdapters, loadConfigFile, loadEnvFile, resolveConfigPath } from './config-file.js';
import { reportError } from './report.js';
import { isWorker, parseWorkers, runPrimary, signalReady, workerDone } from './workers.js';

/** Options of `proxy run`. */
export interface RunOptions {
  config?: string;
  adapter?: string;
  watch?: boolean;
  envfile?: string;
  /** Worker processes (node:cluster), a number or "auto"; 1 (the default) serves in this process. */
  workers?: string;
  /** Level of the default log (debug, info, warn, error), overriding the config's `logging.logs.default.level`. */
  logLevel?: string;
}

/** The config with the default log's level set (Caddy's default logger is `logging.logs.default`). */
export function withLogLevel(json: unknown, level: string | undefined): unknown {
  if (!level || typeof json !== 'object' || json === null) return json;
  const cfg = json as { logging?: { logs?: Record<string, object> } };
  const logs = { ...(cfg.logging?.logs ?? {}) };
  logs['default'] = { ...(logs['default'] ?? {}), level };
  return { ...cfg, logging: { ...(cfg.logging ?? {}), logs } };
}

/** Stops the instance on SIGINT/SIGTERM and logs (instead of dying on) errors nobody handled. */
export function guardProcess(inst: RunningInstance): void {
  installSignalHandlers(inst);
  // One failed promise somewhere must not take every other connection down with the process.
  const onRejection = (e: unknown) =>
    inst.logger.error({ error: e instanceof Error ? e.message : String(e) }, 'unhandled rejection');
  process.on('unhandledRejection', onRejection);
  // The last resort for an 'error' event or a throw nobody handled: log it (a bug to fix: the stress tests
  // fail on this line) and keep serving the other connections.
  const onException = (e: Error) => inst.logger.error({ error: e.message, stack: e.stack }, 'uncaught exception');
  process.on('uncaughtException', onException);
  void inst.stopped.then(() => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  });
}

/** Runs until the instance stops (signal, admin /stop). Resolves with the exit code. */
export async function runCommand(opts: RunOptions): Promise<number> {
  try {
    const workers = parseWorkers(opts.workers);
    if (opts.envfile) await loadEnvFile(opts.envfile);
    const file = resolveConfigPath(opts.config);
    const adapter = adapterFor(file, opts.adapter);
    if (workers > 1 && !isWorker()) {
      await loadConfigFile(file, adapter); // a bad config fails here, once, before any worker starts
      return await runPrimary(workers);
    }
    let json = withLogLevel(await loadConfigFile(file, adapter), opts.logLevel);
    // Each worker would answer admin requests for itself only; with workers, reload with --watch, stop with a signal.
    if (isWorker()) json = { ...(json as object), admin: { disabled: true } };
    const inst = await loadConfig(json, { adapters: adminAdapters });
    guardProcess(inst);
    if (isWorker()) signalReady();
    if (opts.watch) {
      let timer: NodeJS.Timeout | undefined;
      const watcher = watch(file, () => {
        clearTimeout(timer);
        // Editors write files in several steps; reload once they are done.
        timer = setTimeout(() => {
          void loadConfigFile(file, adapter)
            .then((json) => inst.reload(withLogLevel(json, opts.logLevel)))
            .then(() => inst.logger.info({ file }, 'config reloaded'))
            .catch((e: unknown) =>
              inst.logger.error({ file, error: (e as Error).message }, 'reload failed; keeping the running config'),
            );
        }, 200);
      });
      void inst.stopped.then(() => {
        watcher.close();
        clearTimeout(timer);
      });
    }
    await inst.stopped;
    workerDone();
    return 0;
  } catch (e) {
    const code = reportError(e);
    workerDone();
    return code;
  }
}

/** Adds `run` to the program. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Serve a config in the foreground until stopped (SIGINT/SIGTERM or the admin API)')
    .option('-c, --config <file>', 'config file (default: ./Caddyfile)')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json (default: by file extension)')
    .option('-w, --watch', 'reload the config when the file changes')
    .option('--envfile <file>', 'load environment variables (KEY=VALUE lines) before reading the config')
    .option('-l, --log-level <level>', 'level of the default log: debug, info, warn or error (overrides the config)')
    .option(
      '--workers <n>',
      'serve with n worker processes sharing the listeners (a number, or "auto" for one per core)',
    )
    .action(async (opts: RunOptions) => {
      process.exitCode = await runCommand(opts);
      // Like `caddy run`, exit once stopped: sessions a layer4 route still proxies must not keep the
      // process alive past the grace period. The short delay lets the logs flush.
      setTimeout(() => process.exit(), 200).unref();
    });
}
