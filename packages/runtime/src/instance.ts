/** @module instance: the API the CLI uses: loadConfig, validateConfig, and a running instance that reloads atomically. */
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { AdminServer } from './admin.js';
import type { Config } from '@proxy/contract';
import type { HttpAppImpl } from './http/app.js';
import { checkConfig, LoadedConfig, moduleRegistry } from './loaded-config.js';
import type { AnyModule, ModuleRegistry } from './modules.js';
import { loggerFromConfig } from './logging.js';
import { ConfigError, type ValidationError } from './util/errors.js';
import { MetricsHub } from './metrics/hub.js';
import type { Registry } from 'prom-client';
import type { PostgresConfigLoader } from '@proxy/contract';
import { PostgresConfigLoaderRuntime } from './config-loader/postgres.js';

/** Options for loadConfig. */
export interface LoadOptions {
  /** Where log entries go (default: per the config's logging, else stderr). */
  logDestination?: DestinationStream;
  /** Environment for {env.*} placeholders (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Grace period for stopping the previous config on reload (default: the http app's grace_period, else 10s). */
  reloadGraceMs?: number;
  /**
   * Config adapters for the admin API's POST /load, by name: a body with Content-Type `text/<name>`
   * (e.g. text/caddyfile) is adapted to JSON with it. The CLI passes the Caddyfile adapter here.
   */
  adapters?: Record<string, (text: string) => unknown>;
  /**
   * Called with each config once it serves (the first and every reload, from the admin API, a signal or the
   * CLI's --watch): the CLI saves it for `run --resume` (Caddy's autosave). An error it throws is logged.
   */
  onLoaded?: (json: unknown) => void | Promise<void>;
  /** Modules besides the built-in ones (e.g. a listener wrapper made with `listenerWrapper`); same ID replaces. */
  modules?: readonly AnyModule[];
}

/** A config being served. */
export interface RunningInstance {
  /** The active config JSON. */
  readonly config: unknown;
  /** The root logger. */
  readonly logger: Logger;
  /** The admin endpoint's address, when enabled. */
  readonly adminAddress: AddressInfo | undefined;
  /** Resolves when the instance has stopped (via stop(), the admin API or a signal). */
  readonly stopped: Promise<void>;
  /** Loads a new config; on any error the old config keeps serving and the error is thrown. */
  reload(json: unknown): Promise<void>;
  /** Stops serving. */
  stop(): Promise<void>;
  /** Addresses bound by an http server (useful with port 0). */
  addresses(server: string): AddressInfo[];
  /** The PEM root certificate of an internal CA ("local" by default). */
  rootCertificate(ca?: string): Promise<string>;
}

class Instance implements RunningInstance {
  private current!: LoadedConfig;
  private admin: AdminServer;
  private queue: Promise<unknown> = Promise.resolve();
  private resolveStopped!: () => void;
  private readonly modules: ModuleRegistry;
  private isStopped = false;
  private readonly metrics = new MetricsHub();
  /** The config loader the running config names (`admin.config.load`), following the fleet's config. */
  private loader: { key: string; rt: PostgresConfigLoaderRuntime } | undefined;
  readonly stopped = new Promise<void>((r) => {
    this.resolveStopped = r;
  });

  constructor(
    public logger: Logger,
    private readonly opts: LoadOptions,
  ) {
    this.modules = moduleRegistry(opts.modules);
    this.admin = new AdminServer(this, () => this.logger.child({ logger: 'admin' }), opts.adapters ?? {}, this.metrics);
  }

  get config(): unknown {
    return this.current?.json;
  }
  currentConfig(): unknown {
    return this.current?.json;
  }
  currentMetrics(): Registry | undefined {
    return this.current?.metricsRegistry;
  }
  get adminAddress(): AddressInfo | undefined {
    return this.admin.address;
  }

  async init(json: unknown): Promise<void> {
    const cfg = await LoadedConfig.provision(
      json,
      this.logger,
      this.opts.env ?? process.env,
      this.modules,
      this.metrics,
    );
    await cfg.start();
    this.current = cfg;
    this.metrics.configLoaded(true);
    try {
      await this.admin.start((json as Config).admin);
    } catch (e) {
      await cfg.stop(0);
      throw e;
    }
    await this.loaded(json);
    try {
      await this.syncLoader(json)?.start();
    } catch (e) {
      // Nothing to serve from (the database is down and nothing is cached): the instance does not stay up empty.
      await this.stop();
      throw e;
    }
  }

  /**
   * Starts the loader the config names when it is not the one running (stopping that one); returns the new one,
   * whose start the caller awaits (at init) or not (a reload: the loader reloads through the same queue).
   */
  private syncLoader(json: unknown): PostgresConfigLoaderRuntime | undefined {
    const load = (json as Config | null)?.admin?.config?.load as PostgresConfigLoader | undefined;
    const key = load === undefined ? '' : JSON.stringify(load);
    if (this.loader?.key === key) return undefined;
    this.loader?.rt.stop();
    this.loader = undefined;
    if (load === undefined) return undefined;
    const rt = new PostgresConfigLoaderRuntime(load, this.opts.env ?? process.env, {
      apply: (next) => this.reload(next),
      logger: () => this.logger,
    });
    this.loader = { key, rt };
    return rt;
  }

  private async loaded(json: unknown): Promise<void> {
    try {
      await this.opts.onLoaded?.(json);
    } catch (e) {
      this.logger.error({ error: e instanceof Error ? e.message : String(e) }, 'unable to autosave config');
    }
  }

  reload(json: unknown): Promise<void> {
    const run = this.queue.then(() => this.doReload(json));
    this.queue = run.catch(() => {});
    return run;
  }

  private async doReload(json: unknown): Promise<void> {
    try {
      await this.swap(json);
      this.metrics.configLoaded(true);
    } catch (e) {
      this.metrics.configLoaded(false);
      throw e;
    }
  }

  private async swap(json: unknown): Promise<void> {
    if (this.isStopped) throw new Error('instance is stopped');
    const problems = checkConfig(json, this.modules);
    if (problems.length) throw new ConfigError(problems);
    // A new logging section takes effect with the config that carries it.
    const logger = loggerFromConfig((json as Config | null)?.logging, this.opts.logDestination);
    const next = await LoadedConfig.provision(json, logger, this.opts.env ?? process.env, this.modules, this.metrics);
    await next.start();
    const prev = this.current;
    this.current = next;
    this.logger = logger;
    const prevAdmin = JSON.stringify(prev.json.admin ?? null);
    const nextAdmin = JSON.stringify((json as Config).admin ?? null);
    if (prevAdmin !== nextAdmin) {
      await this.admin.stop();
      await this.admin
        .start((json as Config).admin)
        .catch((e: unknown) => this.logger.error({ error: String(e) }, 'admin endpoint restart failed'));
    }
    this.logger.info({}, 'load complete');
    await this.loaded(json);
    void this.syncLoader(json)
      ?.start()
      .catch((e: unknown) => this.logger.error({ error: (e as Error).message }, 'config loader failed to start'));
    await prev.stop(this.graceFor(prev));
  }

  private graceFor(cfg: LoadedConfig): number {
    if (this.opts.reloadGraceMs !== undefined) return this.opts.reloadGraceMs;
    const gp = cfg.json.apps?.http?.grace_period;
    return gp === undefined ? 10_000 : Math.max(0, typeof gp === 'number' ? gp / 1e6 : 10_000);
  }

  stop(): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.isStopped) return;
      this.isStopped = true;
      this.loader?.rt.stop();
      this.loader = undefined;
      await this.admin.stop();
      await this.current.stop(this.graceFor(this.current));
      this.logger.info({}, 'stopped');
      this.logger.flush?.();
      this.resolveStopped();
    });
    this.queue = run.catch(() => {});
    return run;
  }

  addresses(server: string): AddressInfo[] {
    return this.current.app<HttpAppImpl>('http')?.server(server)?.bound ?? [];
  }

  async rootCertificate(ca = 'local'): Promise<string> {
    return (await this.current.tls.ca(ca)).rootPem;
  }
}

/** Loads and starts a config. Rejects with a ConfigError (naming JSON paths) when it cannot be served. */
export async function loadConfig(json: unknown, opts: LoadOptions = {}): Promise<RunningInstance> {
  const problems = checkConfig(json, moduleRegistry(opts.modules));
  if (problems.length) throw new ConfigError(problems);
  const logging = (json as Config).logging;
  let logger: Logger;
  try {
    logger = loggerFromConfig(logging, opts.logDestination);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError([{ path: 'logging', message: (e as Error).message }]);
  }
  const inst = new Instance(logger, opts);
  await inst.init(json);
  return inst;
}

/** Checks a config without binding any port: schema, modules and their provisioning. */
export async function validateConfig(json: unknown, opts: LoadOptions = {}): Promise<ValidationError[]> {
  const logger = loggerFromConfig(undefined, opts.logDestination ?? { write: () => {} });
  try {
    const cfg = await LoadedConfig.provision(json, logger, opts.env ?? process.env, moduleRegistry(opts.modules));
    await cfg.stop(0);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.errors;
    return [{ path: '', message: (e as Error).message }];
  }
}

/** Stops the instance gracefully on SIGINT/SIGTERM (a second signal exits at once). */
export function installSignalHandlers(inst: RunningInstance): () => void {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count++;
    if (count > 1) process.exit(1);
    inst.logger.info({ signal: sig }, 'shutting down');
    void inst.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const off = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  void inst.stopped.then(off);
  return off;
}
