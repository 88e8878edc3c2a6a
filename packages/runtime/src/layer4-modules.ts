/**
 * @module layer4-modules: plugs caddy-l4 into the runtime: the `layer4` listener wrapper
 * (`caddy.listeners.layer4`, used in `servers { listener_wrappers { layer4 {...} tls } }`) and the standalone
 * `layer4` app. Both compile their routes when the config loads; a bad config is a ConfigError naming the
 * JSON path, so a reload that fails leaves the old config serving.
 */
import type { App } from './app.js';
import {
  compileLayer4App,
  createLayer4ListenerWrapper,
  Layer4ConfigError,
  type CompiledLayer4App,
  type Layer4AppHandle,
} from './layer4/index.js';
import { s } from '@proxy/contract';
import { listenerWrapper, type LoadContext, type RuntimeModule } from './modules.js';
import { ConfigError } from './util/errors.js';
import { layer4Connections } from './metrics/connections.js';
import { configRegistry } from './metrics/hub.js';

function asConfigError(e: unknown): unknown {
  if (e instanceof Layer4ConfigError) return ConfigError.at(e.path, e.message.slice(e.path.length + 2));
  return e;
}

/** The standalone `layer4` app: compiled (and so validated) at provision, listening once started. */
class Layer4App implements App {
  private compiled: CompiledLayer4App | undefined;
  private handle: Layer4AppHandle | undefined;

  constructor(
    private readonly json: unknown,
    private readonly path: string,
  ) {}

  provision(ctx: LoadContext): void {
    try {
      this.compiled = compileLayer4App(
        this.json,
        {
          logger: ctx.logger.child({ logger: 'layer4' }),
          ...(ctx.tls ? { tls: ctx.tls } : {}),
          path: this.path,
          onCleanup: (fn) => ctx.onCleanup(fn),
          onConnection: layer4Connections(configRegistry(ctx)),
        },
        this.path,
      );
    } catch (e) {
      throw asConfigError(e);
    }
  }

  async start(): Promise<void> {
    this.handle = await this.compiled!.start();
  }

  async stop(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    // Sessions in progress are not cut by a reload; the process ends them when it exits.
    await h?.release();
  }

  cleanup(): void {
    if (!this.handle) this.compiled?.cleanup();
  }
}

/** The standalone `layer4` app (its routes are checked when they compile, not by a schema). */
export const layer4AppModule: RuntimeModule<Layer4App> = {
  id: 'layer4',
  kind: 'app',
  doc: "caddy-l4's layer4 app: routes raw TCP/UDP connections by their first bytes.",
  schema: s.any,
  create: (json, _ctx, path) => new Layer4App(json, path),
};

/** The `layer4` listener wrapper: routes an http server's connections before TLS and HTTP see them. */
export const layer4ListenerModule = listenerWrapper(
  'layer4',
  "Routes an http server's connections by their first bytes (caddy-l4).",
  (json, ctx) => {
    try {
      return createLayer4ListenerWrapper(json, ctx, ctx.path);
    } catch (e) {
      throw asConfigError(e);
    }
  },
);
