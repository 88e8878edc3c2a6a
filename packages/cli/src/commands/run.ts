/** @module commands/run: `proxy run`: serves a config in the foreground until stopped. */
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { type Command, Option } from 'commander';
import { installSignalHandlers, loadConfig, type Logger, type RunningInstance } from '@proxy/runtime';
import { autosave, readAutosave } from '../autosave.js';
import { autosavePath } from '../paths.js';
import {
  type AdapterName,
  adapterFor,
  adminAdapters,
  loadConfigFile,
  loadEnvFile,
  resolveConfigPath,
} from './config-file.js';
import { environText } from './environ.js';
import { reportError } from './report.js';
import { isWorker, parseWorkers, runPrimary, signalReady, workerDone } from './workers.js';

/** Options of `proxy run`. */
export interface RunOptions {
  config?: string;
  adapter?: string;
  /** Traefik's static configuration (with `--adapter traefik`). */
  static?: string;
  watch?: boolean;
  envfile?: string;
  /** Worker processes (node:cluster), a number or "auto"; 1 (the default) serves in this process. */
  workers?: string;
  /** Start from the last autosaved config when there is one (else from --config). */
  resume?: boolean;
  /** Print the environment (as `proxy environ`) before starting. */
  environ?: boolean;
  /** Write the process ID to this file once serving. */
  pidfile?: string;
  /** `proxy start`'s callback: once serving, send what stdin gave to this address. */
  pingback?: string;
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

/**
 * Saves each loaded config for `run --resume`, in the background (serving, and watching the file, must not wait
 * for the disk) but one at a time, in load order, so that the last config loaded is the one saved.
 */
function autosaver(log: () => Logger | undefined): { save: (json: unknown) => void; saved: () => Promise<void> } {
  let queue = Promise.resolve();
  const save = (json: unknown) => {
    queue = queue
      .then(() => autosave(json))
      .catch((e: unknown) => {
        const error = e instanceof Error ? e.message : String(e);
        const logger = log();
        if (logger) logger.error({ error }, 'unable to autosave config');
        else process.stderr.write(`unable to autosave config: ${error}\n`);
      });
  };
  return { save, saved: () => queue };
}

/** Tells `proxy start` that this process serves: sends it the token it wrote on stdin. */
async function pingback(address: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const i = address.lastIndexOf(':');
  await new Promise<void>((resolve, reject) => {
    const sock = connect({ host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) });
    sock.once('error', (e) => reject(new Error(`pingback to ${address}: ${e.message}`)));
    sock.end(Buffer.concat(chunks), () => resolve());
  });
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
    if (opts.environ && !isWorker()) process.stdout.write(environText());
    let json: unknown = opts.resume ? await readAutosave() : undefined;
    const resumed = json !== undefined;
    let file: string | undefined;
    let adapter: AdapterName = 'json';
    // Like `caddy run`: with no --config and no ./Caddyfile, an empty config (the admin API only, to be loaded
    // through it).
    if (!resumed && (opts.config || existsSync('Caddyfile'))) {
      file = resolveConfigPath(opts.config);
      adapter = adapterFor(file, opts.adapter);
    }
    if (workers > 1 && !isWorker()) {
      if (file) await loadConfigFile(file, adapter, opts.static); // a bad config fails here, once, before any worker starts
      return await runPrimary(workers);
    }
    if (file) json = await loadConfigFile(file, adapter, opts.static);
    else json ??= {};
    json = withLogLevel(json, opts.logLevel);
    // Each worker would answer admin requests for itself only; with workers, reload with --watch, stop with a signal.
    if (isWorker()) json = { ...(json as object), admin: { disabled: true } };
    // Workers serve the same config: the primary's file is the one to resume from, not N copies racing.
    let loaded: RunningInstance | undefined;
    // Its logger, which each config replaces (until loadConfig returns: stderr).
    const saver = autosaver(() => loaded?.logger);
    const inst = await loadConfig(json, {
      adapters: adminAdapters,
      ...(isWorker() ? {} : { onLoaded: saver.save }),
    });
    loaded = inst;
    if (resumed && opts.config) {
      // Saying so: the file may be newer, and the next autosave overwrites what was resumed.
      inst.logger.warn(
        { autosave_file: autosavePath() },
        '--config and --resume flags were used together; ignoring --config and resuming from last configuration',
      );
    } else if (resumed) {
      inst.logger.info({ autosave_file: autosavePath() }, 'resuming from last configuration');
    } else if (!file) {
      inst.logger.info({}, 'no config file to load; serving an empty config (load one through the admin API)');
    }
    try {
      if (opts.pidfile) await writeFile(opts.pidfile, `${process.pid}\n`);
      if (opts.pingback) await pingback(opts.pingback);
    } catch (e) {
      await inst.stop();
      throw e;
    }
    guardProcess(inst);
    if (isWorker()) signalReady();
    if (opts.watch && file) {
      const watched = file;
      let timer: NodeJS.Timeout | undefined;
      let watcher: FSWatcher | undefined;
      let stopped = false;
      const onChange = (event: string): void => {
        clearTimeout(timer);
        // Editors write files in several steps; reload once they are done.
        timer = setTimeout(() => {
          // A file replaced by another (sed -i, editors saving through a rename) is a new inode: watch that one.
          if (event === 'rename' && !stopped) rewatch();
          void loadConfigFile(watched, adapter, opts.static)
            .then((json) => inst.reload(withLogLevel(json, opts.logLevel)))
            .then(() => inst.logger.info({ file: watched }, 'config reloaded'))
            .catch((e: unknown) =>
              inst.logger.error(
                { file: watched, error: (e as Error).message },
                'reload failed; keeping the running config',
              ),
            );
        }, 200);
      };
      let retry: NodeJS.Timeout | undefined;
      const rewatch = (): void => {
        watcher?.close();
        watcher = undefined;
        try {
          watcher = watch(watched, onChange);
          watcher.on('error', () => {
            if (!stopped) retry = setTimeout(rewatch, 500);
          });
        } catch {
          // Between the old file's removal and the new one: try again shortly.
          if (!stopped) retry = setTimeout(rewatch, 500);
        }
      };
      rewatch();
      void inst.stopped.then(() => {
        stopped = true;
        watcher?.close();
        clearTimeout(timer);
        clearTimeout(retry);
      });
    }
    await inst.stopped;
    await saver.saved();
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
    .option('-a, --adapter <name>', 'config adapter: caddyfile, json or traefik (default: by file extension)')
    .option('--static <file>', "Traefik's static configuration (entry points), with --adapter traefik")
    .option('-w, --watch', 'reload the config when the file changes')
    .option('--envfile <file>', 'load environment variables (KEY=VALUE lines) before reading the config')
    .option(
      '-r, --resume',
      'start from the last autosaved config (autosave.json in the config folder) when there is one',
    )
    .option('-e, --environ', 'print the environment (as `proxy environ`) before starting')
    .option('--pidfile <file>', 'write the process ID to this file once serving')
    .addOption(new Option('--pingback <addr>', 'used by `proxy start`').hideHelp())
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
