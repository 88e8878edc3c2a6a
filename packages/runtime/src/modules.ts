/**
 * @module modules: the module registry keyed by Caddy module ID (`http.handlers.static_response`,
 * `http.matchers.host`, `tls.issuance.internal`, `caddy.listeners.tls`), and the load context that
 * drives each module through create -> provision -> validate -> cleanup.
 */
import type { Logger } from 'pino';
import type { ListenerWrapper } from './listener-wrapper.js';
import { check, isObject, type ModuleLookup, type Schema } from './schema.js';
import { ConfigError, joinPath, type ValidationError } from './util/errors.js';
import type { TlsAppHandle } from './tls/handle.js';

/** Optional lifecycle hooks a module instance may implement. */
export interface Lifecycle {
  /** Sets the module up: compiles, opens files, loads child modules. */
  provision?(ctx: LoadContext): void | Promise<void>;
  /** Checks the provisioned module; throws a ConfigError when it is unusable. */
  validate?(): void;
  /** Releases what provision acquired (timers, sockets). */
  cleanup?(): void | Promise<void>;
}

/** A registered module. */
export interface ModuleInfo<T = unknown> {
  /** Full module ID, e.g. "http.handlers.static_response". */
  id: string;
  /** The shape of the module's JSON (for modules named by a key field, its other fields). */
  schema: Schema;
  /** Set for Caddy modules this runtime knows but does not implement: validation fails with this text. */
  unsupported?: string;
  /** Creates an instance from checked JSON. */
  create?(json: unknown, ctx: LoadContext, path: string): T;
}

const registry = new Map<string, ModuleInfo>();

/** Registers a module; a second registration of the same ID replaces the first. */
export function registerModule<T>(info: ModuleInfo<T>): void {
  registry.set(info.id, info as ModuleInfo);
}

/** Looks a module up by ID. */
export function getModule(id: string): ModuleInfo | undefined {
  return registry.get(id);
}

/** Marks Caddy modules that exist upstream but are not built here, so configs using them fail clearly. */
export function registerUnsupported(ids: string[], reason = 'this runtime does not implement it'): void {
  for (const id of ids) if (!registry.has(id)) registry.set(id, { id, schema: { t: 'any' }, unsupported: reason });
}

/** What a listener wrapper factory gets besides its JSON. */
export interface ListenerWrapperContext {
  /** A logger named after the wrapper. */
  logger: Logger;
  /** The tls app: certificates and connection policies. */
  tls: TlsAppHandle;
  /** The JSON path of the wrapper in the config (for error messages). */
  path: string;
  /** Registers cleanup to run when the config unloads. */
  onCleanup(fn: () => void | Promise<void>): void;
}

/** Builds a listener wrapper from its JSON config. */
export type ListenerWrapperFactory = (json: Record<string, unknown>, ctx: ListenerWrapperContext) => ListenerWrapper | Promise<ListenerWrapper>;

const wrapperFactories = new Map<string, ListenerWrapperFactory>();

/**
 * Registers a listener wrapper (`caddy.listeners.NAME`). `schema` describes its JSON fields (besides
 * "wrapper"); without one, any fields are accepted and the factory validates them.
 */
export function registerListenerWrapper(name: string, factory: ListenerWrapperFactory, schema?: Schema): void {
  wrapperFactories.set(name, factory);
  registry.set(`caddy.listeners.${name}`, { id: `caddy.listeners.${name}`, schema: schema ?? { t: 'object', fields: {}, open: true } });
}

/** The factory of a registered listener wrapper. */
export function getListenerWrapperFactory(name: string): ListenerWrapperFactory | undefined {
  return wrapperFactories.get(name);
}

/** The registry seen by the schema checker. */
export const moduleLookup: ModuleLookup = {
  lookup: (id) => registry.get(id),
  known: (id) => registry.has(id),
};

/** Checks JSON against a schema, returning every problem. */
export function checkSchema(value: unknown, schema: Schema, path: string): ValidationError[] {
  const out: ValidationError[] = [];
  check(value, schema, path, moduleLookup, out);
  return out;
}

/**
 * The context modules are loaded in: it creates and provisions child modules and remembers every
 * instance so that a failed load or an unload cleans them all up, last first.
 */
export class LoadContext {
  private readonly instances: Lifecycle[] = [];
  private readonly cleanups: Array<() => void | Promise<void>> = [];

  constructor(
    /** The root logger. */
    readonly logger: Logger,
    /** Environment for `{env.*}` placeholders. */
    readonly env: NodeJS.ProcessEnv,
    /** The tls app of this config, once provisioned. */
    public tls: TlsAppHandle | undefined,
    /** Extra values apps share (by app name). */
    readonly apps: Map<string, unknown> = new Map(),
  ) {}

  /** Creates, provisions and validates the module `ns.<json[key]>`. */
  async load<T>(json: unknown, ns: string, key: string, path: string): Promise<T & Lifecycle> {
    if (!isObject(json)) throw ConfigError.at(path, 'expected an object');
    const name = json[key];
    return this.loadNamed<T>(`${ns}.${String(name)}`, json, joinPath(path, key), path);
  }

  /** Creates, provisions and validates the module with the given ID from its JSON. */
  async loadNamed<T>(id: string, json: unknown, namePath: string, path: string): Promise<T & Lifecycle> {
    const info = registry.get(id);
    if (!info || !info.create) throw ConfigError.at(namePath, info?.unsupported ? `module ${id} is not supported yet` : `unknown module ${id}`);
    const inst = info.create(json, this, path) as T & Lifecycle;
    this.instances.push(inst);
    if (inst.provision) await inst.provision(this);
    if (inst.validate) inst.validate();
    return inst;
  }

  /** Loads each entry of a module map (`{"host": [...], "path": [...]}`). */
  async loadMap<T>(json: Record<string, unknown>, ns: string, path: string): Promise<Array<{ name: string; module: T & Lifecycle }>> {
    const out: Array<{ name: string; module: T & Lifecycle }> = [];
    for (const [name, v] of Object.entries(json)) {
      const p = joinPath(path, name);
      out.push({ name, module: await this.loadNamed<T>(`${ns}.${name}`, v, p, p) });
    }
    return out;
  }

  /** Registers a cleanup to run on unload. */
  onCleanup(fn: () => void | Promise<void>): void {
    this.cleanups.push(fn);
  }

  /** Runs every module's cleanup, last loaded first; errors are logged, not thrown. */
  async cleanup(): Promise<void> {
    const all: Array<() => void | Promise<void>> = [...this.cleanups];
    for (const inst of this.instances) if (inst.cleanup) all.push(() => inst.cleanup!());
    this.instances.length = 0;
    this.cleanups.length = 0;
    for (const fn of all.reverse()) {
      try { await fn(); } catch (e) { this.logger.error({ error: String(e) }, 'cleanup failed'); }
    }
  }
}
