/** @module layer4/listener: the `caddy.listeners.layer4` listener wrapper — routes raw connections, hands the rest on. */
import type { Duplex } from 'node:stream';
import type { Layer4ListenerWrapperConfig } from '@proxy/contract';
import type { ConnectionInfo, ListenerWrapper } from '../listener-wrapper.js';
import { createCompiler } from './compile.js';
import { durationMs } from './duration.js';
import { Layer4ConfigError } from './errors.js';
import { createRuntime, routeConnection } from './runtime.js';
import type { Layer4Context } from './types.js';

/**
 * Compiles a layer4 listener wrapper. `wrap` resolves with a stream replaying the peeked bytes when no route
 * takes the connection (or the last matched route did not terminate, e.g. only `tls`: the stream is then the
 * decrypted one), and with null once a route took the connection over — which, for a proxied connection, is
 * when the session ends, so callers must not wait on one wrap before accepting the next connection.
 */
export function createLayer4ListenerWrapper(
  json: unknown,
  ctx: Layer4Context = {},
  path = ctx.path ?? 'layer4',
): ListenerWrapper {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected an object');
  const cfg = json as Layer4ListenerWrapperConfig;
  for (const key of Object.keys(cfg)) {
    if (!['wrapper', 'routes', 'matching_timeout'].includes(key))
      throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
  if (cfg.wrapper !== undefined && cfg.wrapper !== 'layer4') {
    throw new Layer4ConfigError(`${path}.wrapper`, `expected "layer4", got ${JSON.stringify(cfg.wrapper)}`);
  }
  const runtime = createRuntime(ctx);
  const compiler = createCompiler(runtime);
  const list = compiler.routes(
    cfg.routes,
    `${path}.routes`,
    durationMs(cfg.matching_timeout, `${path}.matching_timeout`, 3000),
  );
  return {
    name: 'layer4',
    wrap(conn: Duplex, info: ConnectionInfo): Promise<Duplex | null> {
      if (list.routes.length === 0) return Promise.resolve(conn);
      conn.on('error', (err) => runtime.logger.debug({ err: err.message }, 'layer4: connection error'));
      return new Promise((resolve) => {
        let handedOn = false;
        void routeConnection(list, conn, info, runtime, async (cx) => {
          handedOn = true;
          resolve(cx.release());
        }).finally(() => {
          if (handedOn) return;
          conn.destroy();
          resolve(null);
        });
      });
    },
    close() {
      runtime.closers.splice(0).forEach((c) => c());
    },
  };
}
