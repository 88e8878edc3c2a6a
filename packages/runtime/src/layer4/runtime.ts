/** @module layer4/runtime: per-config runtime state and the entry point every accepted connection goes through. */
import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import type { ConnectionInfo } from '../listener-wrapper.js';
import { Connection } from './connection.js';
import { MatchingError } from './errors.js';
import { CancelKeyRegistry } from './postgres/cancel-keys.js';
import { serveRoutes } from './serve.js';
import type { Layer4Context, Layer4Runtime, Next, RouteList } from './types.js';

/** Process-wide: a CancelRequest may arrive through any router instance of this process. */
const cancelKeys = new CancelKeyRegistry();

export function createRuntime(ctx: Layer4Context): Layer4Runtime {
  const tlsApp = ctx.tls;
  const runtime: Layer4Runtime = {
    logger: ctx.logger ?? pino({ name: 'layer4', level: process.env['LOG_LEVEL'] ?? 'info' }),
    secureContextFor:
      ctx.secureContextFor ??
      (tlsApp ? (name) => tlsApp.secureContextFor(name === '' ? undefined : name) : () => undefined),
    certificateFor:
      ctx.certificateFor ??
      (tlsApp?.certificateFor ? (name) => tlsApp.certificateFor!(name === '' ? undefined : name) : undefined),
    selectCertificate: tlsApp?.selectCertificate
      ? (select, name) => tlsApp.selectCertificate!(select, name === '' ? undefined : name)
      : undefined,
    acmeChallengeFor: tlsApp?.acmeChallengeFor
      ? (name, alpn) => tlsApp.acmeChallengeFor!(name === '' ? undefined : name, alpn)
      : undefined,
    cancelKeys,
    closers: [],
  };
  ctx.onCleanup?.(() => runtime.closers.splice(0).forEach((c) => c()));
  return runtime;
}

/**
 * Routes one accepted connection. Resolves when routing is over: a terminal handler finished, or `next`
 * (the fall-through) returned. Matching failures and handler errors are logged and the stream destroyed;
 * they never reject, so one bad client cannot disturb the accept loop.
 */
export async function routeConnection(
  list: RouteList,
  stream: Duplex,
  info: ConnectionInfo,
  runtime: Layer4Runtime,
  next: Next,
): Promise<void> {
  const log = runtime.logger;
  const cx = new Connection(stream, info, log);
  try {
    await serveRoutes(list, cx, next, runtime);
  } catch (err) {
    const remote = `${info.remoteAddress}:${info.remotePort}`;
    if (err instanceof MatchingError) {
      if (err.reason === 'timeout') log.warn({ remote, bytes: cx.buffer.length }, err.message);
      else if (err.reason === 'buffer_full') log.warn({ remote }, err.message);
      else log.debug({ remote, reason: err.reason }, err.message);
    } else {
      log.error({ remote, err: (err as Error).message }, 'layer4: handling connection failed');
    }
    stream.destroy();
  }
}
