/**
 * @module modules: the runtime module shape, the registry keyed by Caddy module ID (`http.handlers.static_response`,
 * `http.matchers.host`, `tls.issuance.internal`, `caddy.listeners.tls`) built from the explicit lists in
 * modules/, and the load context that drives each module through create -> provision -> validate -> cleanup.
 */
import type { Logger } from 'pino';
import type { ListenerWrapper } from './listener-wrapper.js';
import { isObject, s, type ModuleLookup, type Schema } from '@proxy/contract';
import { ConfigError, joinPath } from './util/errors.js';
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

/**
 * What a module is to the runtime: `app`, `handler` and `matcher` are loaded by LoadContext, `listener` by an
 * http server, `layer4.matcher`/`layer4.handler` by the layer4 compiler, and a `part` is only checked here and
 * built by the module that holds it (transports, selection policies, issuers, encoders, handshake matchers).
 */
export type ModuleKind = 'app' | 'handler' | 'matcher' | 'listener' | 'part' | 'layer4.matcher' | 'layer4.handler';

/** A runtime module: one shape for every namespace. */
export interface RuntimeModule<T = unknown, C = LoadContext> {
  /** Full Caddy module ID, e.g. "http.handlers.static_response". */
  id: string;
  /** What loads it. */
  kind: ModuleKind;
  /** One line on what it does. */
  doc: string;
  /** The shape of the module's JSON (for modules named by a key field, its other fields). */
  schema: Schema;
  /** Set for Caddy modules this runtime knows but does not implement: validation fails with this text. */
  unsupported?: string;
  /** Creates an instance from checked JSON. */
  create?(json: unknown, ctx: C, path: string): T;
}

/** A module of any kind, as the lists hold it (each loader narrows it by `kind`). */
export type AnyModule = RuntimeModule<unknown, never>;

/** The modules a config is loaded with, by ID (built once from explicit lists; nothing registers itself). */
export class ModuleRegistry implements ModuleLookup {
  private readonly byId = new Map<string, AnyModule>();

  constructor(lists: ReadonlyArray<ReadonlyArray<AnyModule>>) {
    // A later list may replace a module of an earlier one (extra modules given to loadConfig).
    for (const list of lists) for (const m of list) this.byId.set(m.id, m);
  }

  /** Looks a module up by ID. */
  lookup(id: string): AnyModule | undefined {
    return this.byId.get(id);
  }

  /** A module LoadContext creates (an app, handler, matcher or part). */
  loadable(id: string): RuntimeModule | undefined {
    const m = this.byId.get(id);
    return m && m.kind !== 'listener' && !m.kind.startsWith('layer4.') ? (m as RuntimeModule) : undefined;
  }

  /** A listener wrapper module (`caddy.listeners.NAME`). */
  listener(name: string): ListenerModule | undefined {
    const m = this.byId.get(`caddy.listeners.${name}`);
    return m?.kind === 'listener' ? (m as ListenerModule) : undefined;
  }
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
export type ListenerWrapperFactory = (
  json: Record<string, unknown>,
  ctx: ListenerWrapperContext,
) => ListenerWrapper | Promise<ListenerWrapper>;

/** A listener wrapper module: an http server creates one wrapper per `listener_wrappers` entry. */
export type ListenerModule = RuntimeModule<ListenerWrapper | Promise<ListenerWrapper>, ListenerWrapperContext>;

/**
 * A listener wrapper module (`caddy.listeners.NAME`). `schema` describes its JSON fields (besides "wrapper");
 * without one, any fields are accepted and the factory validates them.
 */
export function listenerWrapper(
  name: string,
  doc: string,
  factory: ListenerWrapperFactory,
  schema?: Schema,
): ListenerModule {
  return {
    id: `caddy.listeners.${name}`,
    kind: 'listener',
    doc,
    schema: schema ?? s.obj({}, true),
    create: (json, ctx) => factory(json as Record<string, unknown>, ctx),
  };
}

/** Modules Caddy has that this runtime does not build, so configs using them fail clearly. */
export function unsupportedModules(reason: string, ids: string[]): AnyModule[] {
  return ids.map((id) => ({
    id,
    kind: kindOf(id),
    doc: `Caddy's ${id} (not implemented here)`,
    schema: s.any,
    unsupported: reason,
  }));
}

function kindOf(id: string): ModuleKind {
  if (!id.includes('.')) return 'app';
  if (/\.handlers\.[^.]+$/.test(id)) return id.startsWith('layer4.') ? 'layer4.handler' : 'handler';
  if (/\.matchers\.[^.]+$/.test(id)) return id.startsWith('layer4.') ? 'layer4.matcher' : 'matcher';
  if (id.startsWith('caddy.listeners.')) return 'listener';
  return 'part';
}

/**
 * The context modules are loaded in: it creates and provisions child modules and remembers every
 * instance so that a failed load or an unload cleans them all up, last first.
 */
export class LoadContext {
  private readonly instances: Lifecycle[] = [];
  private readonly cleanups: Array<() => void | Promise<void>> = [];

  constructor(
    /** The modules this config is loaded with. */
    readonly modules: ModuleRegistry,
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
    const info = this.modules.loadable(id);
    if (!info?.create)
      throw ConfigError.at(namePath, info?.unsupported ? `module ${id} is not supported yet` : `unknown module ${id}`);
    const inst = info.create(json, this, path) as T & Lifecycle;
    this.instances.push(inst);
    if (inst.provision) await inst.provision(this);
    if (inst.validate) inst.validate();
    return inst;
  }

  /** Loads each entry of a module map (`{"host": [...], "path": [...]}`). */
  async loadMap<T>(
    json: Record<string, unknown>,
    ns: string,
    path: string,
  ): Promise<Array<{ name: string; module: T & Lifecycle }>> {
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
      try {
        await fn();
      } catch (e) {
        this.logger.error({ error: String(e) }, 'cleanup failed');
      }
    }
  }
}
