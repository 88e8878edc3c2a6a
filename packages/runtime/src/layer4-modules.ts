/**
 * @module layer4-modules: plugs caddy-l4 into the runtime: the `layer4` listener wrapper
 * (`caddy.listeners.layer4`, used in `servers { listener_wrappers { layer4 {...} tls } }`) and the standalone
 * `layer4` app. Both compile their routes when the config loads; a bad config is a ConfigError naming the
 * JSON path, so a reload that fails leaves the old config serving.
 */
import type { App } from './app.js';
import { createLayer4ListenerWrapper, startLayer4App, Layer4ConfigError, type Layer4AppHandle } from './layer4/index.js';
import { registerListenerWrapper, registerModule, type LoadContext, type ModuleInfo } from './modules.js';
import { ConfigError } from './util/errors.js';

function asConfigError(e: unknown): unknown {
  if (e instanceof Layer4ConfigError) return ConfigError.at(e.path, e.message.slice(e.path.length + 2));
  return e;
}

/** The standalone `layer4` app: listens on its servers' own addresses when started. */
class Layer4App implements App {
  private handle: Layer4AppHandle | undefined;
  private ctx: LoadContext | undefined;

  constructor(private readonly json: unknown, private readonly path: string) {}

  provision(ctx: LoadContext): void {
    this.ctx = ctx;
  }

  async start(): Promise<void> {
    const ctx = this.ctx!;
    try {
      this.handle = await startLayer4App(this.json, {
        logger: ctx.logger.child({ logger: 'layer4' }),
        ...(ctx.tls ? { tls: ctx.tls } : {}),
        path: this.path,
        onCleanup: (fn) => ctx.onCleanup(fn),
      }, this.path);
    } catch (e) {
      throw asConfigError(e);
    }
  }

  async stop(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    // Sessions in progress are not cut by a reload; the process ends them when it exits.
    await h?.release();
  }
}

const layer4AppModule: ModuleInfo<Layer4App> = {
  id: 'layer4',
  schema: { t: 'any' },
  create: (json, _ctx, path) => new Layer4App(json, path),
};

/** Registers the layer4 listener wrapper and app with the runtime (idempotent). */
export function registerLayer4Modules(): void {
  registerModule(layer4AppModule);
  registerListenerWrapper('layer4', (json, ctx) => {
    try {
      return createLayer4ListenerWrapper(json, ctx, ctx.path);
    } catch (e) {
      throw asConfigError(e);
    }
  });
}
