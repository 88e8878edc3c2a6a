/** @module loaded-config: one config, provisioned and (once started) serving: its apps and their modules. */
import type { Logger } from 'pino';
import type { App } from './app.js';
import { check, configSchema, isObject, type Config } from '@proxy/contract';
import { LoadContext, ModuleRegistry, type AnyModule } from './modules.js';
import { builtinModules } from './modules/index.js';
import type { TlsAppImpl } from './tls/app.js';
import { loadStorage } from './storage/modules.js';
import { checkConfigLoader } from './config-loader/modules.js';
import type { EventsAppImpl } from './events/app.js';
import { EVENT_BUS, type EventBus, NO_EVENTS } from './events/bus.js';
import { checkLogging } from './logging/router.js';
import { parseNetworkAddress } from './listen/address.js';
import { ConfigError, joinPath, type ValidationError } from './util/errors.js';
import { existingConfigRegistry, setMetricsHub, type MetricsHub } from './metrics/hub.js';
import type { Registry } from 'prom-client';

const builtins = new ModuleRegistry([builtinModules]);

/** The built-in modules, plus `extra` ones (which replace built-ins of the same ID). */
export function moduleRegistry(extra: readonly AnyModule[] | undefined): ModuleRegistry {
  return extra?.length ? new ModuleRegistry([builtinModules, extra]) : builtins;
}

/** Every problem the schema check finds in a config. */
export function checkConfig(json: unknown, modules: ModuleRegistry = builtins): ValidationError[] {
  const out: ValidationError[] = [];
  if (!isObject(json)) return [{ path: '', message: 'config must be a JSON object' }];
  check(json, configSchema, '', modules, out);
  const admin = json['admin'];
  if (isObject(admin)) {
    if (admin['remote'] !== undefined)
      out.push({ path: 'admin.remote', message: 'remote administration is not supported yet' });
    if (isObject(admin['config'])) out.push(...checkConfigLoader(admin['config']['load']));
    if (typeof admin['listen'] === 'string' && !admin['disabled']) {
      try {
        parseNetworkAddress(admin['listen'], 'admin.listen');
      } catch (e) {
        out.push(...(e as ConfigError).errors);
      }
    }
  }
  const apps = json['apps'];
  if (apps !== undefined) {
    if (!isObject(apps)) out.push({ path: 'apps', message: 'expected an object' });
    else
      for (const [name, v] of Object.entries(apps)) {
        const p = joinPath('apps', name);
        const mod = modules.lookup(name);
        if (!mod) out.push({ path: p, message: `unknown app "${name}"` });
        else if (mod.unsupported)
          out.push({ path: p, message: `app "${name}" is not supported yet: ${mod.unsupported}` });
        else check(v, mod.schema, p, modules, out);
      }
  }
  return out;
}

/** A provisioned config. */
export class LoadedConfig {
  private started: Array<{ name: string; app: App }> = [];
  private constructor(
    readonly json: Config,
    readonly ctx: LoadContext,
    readonly tls: TlsAppImpl,
    readonly apps: Array<{ name: string; app: App }>,
  ) {}

  /** Checks and provisions a config; throws ConfigError (after cleaning up) when it is not usable. */
  static async provision(
    json: unknown,
    logger: Logger,
    env: NodeJS.ProcessEnv,
    modules: ModuleRegistry,
    metrics?: MetricsHub,
  ): Promise<LoadedConfig> {
    const errors = checkConfig(json, modules);
    if (errors.length) throw new ConfigError(errors);
    const cfg = json as Config;
    checkLogging(cfg.logging);
    const ctx = new LoadContext(modules, logger, env, undefined);
    if (metrics) setMetricsHub(ctx, metrics);
    if (cfg.apps?.pki) ctx.apps.set('pki:config', cfg.apps.pki);
    try {
      await loadStorage(cfg.storage, ctx);
      const apps: Array<{ name: string; app: App }> = [];
      // The events app first: the others emit to it from their provisioning on.
      if (cfg.apps?.['events'] !== undefined) {
        const events = await ctx.loadNamed<EventsAppImpl>('events', cfg.apps['events'], 'apps.events', 'apps.events');
        ctx.apps.set(EVENT_BUS, events);
        apps.push({ name: 'events', app: events });
      }
      const tls = await ctx.loadNamed<TlsAppImpl>('tls', cfg.apps?.tls ?? {}, 'apps.tls', 'apps.tls');
      ctx.tls = tls;
      for (const [name, v] of Object.entries(cfg.apps ?? {})) {
        if (name === 'tls' || name === 'pki' || name === 'events') continue;
        const app = await ctx.loadNamed<App>(name, v, joinPath('apps', name), joinPath('apps', name));
        ctx.apps.set(name, app);
        apps.push({ name, app });
      }
      return new LoadedConfig(cfg, ctx, tls, apps);
    } catch (e) {
      await ctx.cleanup();
      if (e instanceof ConfigError) throw e;
      throw new ConfigError([{ path: '', message: (e as Error).message }]);
    }
  }

  /** Starts tls first, then the other apps; on failure stops what started and rethrows. */
  async start(): Promise<void> {
    try {
      // Apps join `started` before starting, so a half-started app (some listeners bound) is stopped too.
      this.started.push({ name: 'tls', app: this.tls });
      await this.tls.start();
      for (const a of this.apps) {
        this.started.push(a);
        await a.app.start();
      }
      // Current Caddy emits `started` once every app runs (and `stopping` before they stop).
      await this.events.emit('started', '');
    } catch (e) {
      await this.stop(0);
      throw e instanceof ConfigError
        ? e
        : new ConfigError([{ path: '', message: `start failed: ${(e as Error).message}` }]);
    }
  }

  /** Stops the apps (reverse order) and cleans every module up. */
  async stop(graceMs?: number): Promise<void> {
    if (this.started.length > 0) await this.events.emit('stopping', '');
    const started = this.started.reverse();
    this.started = [];
    await Promise.all(
      started
        .filter((a) => a.name !== 'tls')
        .map((a) =>
          a.app
            .stop(graceMs)
            .catch((e: unknown) => this.ctx.logger.error({ app: a.name, error: String(e) }, 'stop failed')),
        ),
    );
    for (const a of started.filter((x) => x.name === 'tls')) await a.app.stop();
    await this.ctx.cleanup();
  }

  /** The metrics registry of this config (http, tls, layer4), when something in it made one. */
  get metricsRegistry(): Registry | undefined {
    return existingConfigRegistry(this.ctx);
  }

  /** The events app of this config, or a bus without subscribers. */
  private get events(): EventBus {
    return (this.ctx.apps.get(EVENT_BUS) as EventBus | undefined) ?? NO_EVENTS;
  }

  /** The named app. */
  app<T extends App>(name: string): T | undefined {
    return this.apps.find((a) => a.name === name)?.app as T | undefined;
  }
}
