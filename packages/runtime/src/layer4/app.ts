/** @module layer4/app: the standalone `layer4` app — servers listening on their own addresses. */
import net from 'node:net';
import type { Layer4App } from '@proxy/contract';
import type { ConnectionInfo } from '../listener-wrapper.js';
import { createCompiler } from './compile.js';
import { durationMs } from './duration.js';
import { Layer4ConfigError } from './errors.js';
import { parseNetworkAddress, type NetworkAddress } from './proxy/address.js';
import { createRuntime, routeConnection } from './runtime.js';
import { serveUdp } from './udp/server.js';
import { claimListener, type ListenerClaim } from '../listen/pool.js';
import type { Layer4Context, Layer4Runtime, RouteList } from './types.js';
import type { Connection } from './connection.js';

/** The fall-through of a server's routes: nothing matched, or the last route did not terminate; the connection ends. */
async function closeUnrouted(cx: Connection): Promise<void> {
  cx.release().destroy();
}

/** A running layer4 app. */
export interface Layer4AppHandle {
  /** Bound addresses per server name (useful with port 0); UDP ones included. */
  readonly addresses: Record<string, net.AddressInfo[]>;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /**
   * Stops listening (a reload: the next config takes the ports over); connections already routed go on
   * until they end, as caddy-l4's do when its app stops.
   */
  release(): Promise<void>;
}

interface PlannedListener {
  server: string;
  address: NetworkAddress;
  list: RouteList;
  idleMs: number;
}

/** A validated, compiled app that has not bound anything yet (an app's provision step). */
export interface CompiledLayer4App {
  /** Listens on every address. */
  start(): Promise<Layer4AppHandle>;
  /** Releases what compiling started (health checkers, file watchers) when the app is never started. */
  cleanup(): void;
}

/** Validates and compiles the app, then listens on every address; throws a Layer4ConfigError on bad config. */
export async function startLayer4App(
  json: unknown,
  ctx: Layer4Context = {},
  path = ctx.path ?? 'apps.layer4',
): Promise<Layer4AppHandle> {
  return compileLayer4App(json, ctx, path).start();
}

/** Validates and compiles the app without binding any address; throws a Layer4ConfigError on bad config. */
export function compileLayer4App(
  json: unknown,
  ctx: Layer4Context = {},
  path = ctx.path ?? 'apps.layer4',
): CompiledLayer4App {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected an object');
  const app = json as Layer4App;
  const runtime = createRuntime(ctx);
  const compiler = createCompiler(runtime);
  const planned: PlannedListener[] = [];
  for (const [name, server] of Object.entries(app.servers ?? {})) {
    const sPath = `${path}.servers.${name}`;
    for (const key of Object.keys(server)) {
      if (!['listen', 'routes', 'idle_timeout', 'matching_timeout'].includes(key)) {
        throw new Layer4ConfigError(`${sPath}.${key}`, 'unknown field');
      }
    }
    const timeout = durationMs(server.matching_timeout, `${sPath}.matching_timeout`, 3000);
    const idleMs = durationMs(server.idle_timeout, `${sPath}.idle_timeout`, 30_000);
    const list = compiler.routes(server.routes, `${sPath}.routes`, timeout);
    (server.listen ?? []).forEach((l, i) => {
      const aPath = `${sPath}.listen[${i}]`;
      if (typeof l !== 'string') throw new Layer4ConfigError(aPath, 'expected a string');
      const address = parseNetworkAddress(l.includes(':') || l.includes('/') ? l : `:${l}`, aPath, true);
      planned.push({ server: name, address, list, idleMs });
    });
  }
  const cleanup = (): void => runtime.closers.splice(0).forEach((c) => c());
  return { start: () => listenAll(planned, runtime, cleanup, ctx.onConnection), cleanup };
}

async function listenAll(
  planned: PlannedListener[],
  runtime: Layer4Runtime,
  cleanup: () => void,
  onConnection: Layer4Context['onConnection'],
): Promise<Layer4AppHandle> {
  const servers: net.Server[] = [];
  const claims: ListenerClaim[] = [];
  const udpClosers: Array<() => Promise<void>> = [];
  const live = new Set<net.Socket>();
  const addresses: Record<string, net.AddressInfo[]> = {};
  const release = async (): Promise<void> => {
    cleanup();
    await Promise.all([
      ...claims.splice(0).map((c) => c.release()),
      ...servers.map((s) => new Promise<void>((r) => s.close(() => r()))),
      ...udpClosers.map((c) => c()),
    ]);
  };
  const close = async (): Promise<void> => {
    for (const s of live) s.destroy();
    await release();
  };
  try {
    for (const p of planned) {
      for (let port = p.address.port; port <= p.address.portEnd; port++) {
        if (p.address.network.startsWith('udp')) {
          const udp = await serveUdp(p.address, port, p.list, runtime, p.idleMs);
          udpClosers.push(udp.close);
          (addresses[p.server] ??= []).push(udp.address);
          continue;
        }
        // Made once per port, not per connection: an open connection keeps what its listeners close over.
        const listenAddress = p.address.host ? `${p.address.host}:${port}` : `:${port}`;
        const onSocketError = (err: Error): void => runtime.logger.debug({ err: err.message }, 'layer4: socket error');
        const accept = (socket: net.Socket): void => {
          live.add(socket);
          const closed = onConnection?.(p.server);
          socket.once('close', () => {
            live.delete(socket);
            closed?.();
          });
          socket.on('error', onSocketError);
          socket.setNoDelay(true);
          const info: ConnectionInfo = {
            remoteAddress: socket.remoteAddress ?? '',
            remotePort: socket.remotePort ?? 0,
            localAddress: socket.localAddress ?? '',
            localPort: socket.localPort ?? 0,
            listenAddress,
          };
          void routeConnection(p.list, socket, info, runtime, closeUnrouted).finally(() => socket.destroy());
        };
        if (p.address.network !== 'unix') {
          // Shared with the next config on reload: the port stays open and new connections go to the newest routes.
          const claim = await claimListener(p.address.host, port, p.address.network as 'tcp' | 'tcp4' | 'tcp6', accept);
          claims.push(claim);
          (addresses[p.server] ??= []).push(claim.address);
          continue;
        }
        const server = net.createServer({ allowHalfOpen: true }, accept);
        servers.push(server);
        await listen(server, p.address, port);
        (addresses[p.server] ??= []).push(server.address() as net.AddressInfo);
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { addresses, close, release };
}

function listen(server: net.Server, a: NetworkAddress, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (a.network === 'unix') server.listen(a.path!, done);
    else if (a.host === '') server.listen(port, done);
    else server.listen(port, a.host, done);
  });
}
