/** @module layer4/app-module: the `layer4` top-level app as a runtime app module (so `proxy run` serves `apps.layer4`). */
import type { App } from '../app.js';
import type { LoadContext, ModuleInfo } from '../modules.js';
import { s } from '../schema.js';
import { ConfigError } from '../util/errors.js';
import { startLayer4App, type Layer4AppHandle } from './app.js';
import { Layer4ConfigError } from './errors.js';

/** The standalone layer4 app: its servers listen when the config starts and close when it stops. */
class Layer4AppImpl implements App {
  private handle: Layer4AppHandle | undefined;
  constructor(private readonly json: unknown, private readonly ctx: LoadContext, private readonly path: string) {}

  async start(): Promise<void> {
    try {
      this.handle = await startLayer4App(this.json, { logger: this.ctx.logger.child({ logger: 'layer4' }), tls: this.ctx.tls, path: this.path });
    } catch (e) {
      // layer4 checks its own JSON; report its errors like every other config error (path: message).
      if (e instanceof Layer4ConfigError) throw ConfigError.at(e.path, e.message.slice(e.path.length + 2));
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** `apps.layer4` (the app validates its servers, routes and modules itself when it starts). */
export const layer4AppModule: ModuleInfo<App> = {
  id: 'layer4',
  schema: s.any,
  create: (json, ctx, path) => new Layer4AppImpl(json, ctx, path),
};
