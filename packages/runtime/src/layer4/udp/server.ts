/**
 * @module layer4/udp/server: a layer4 server on a UDP address — one routed pseudo-connection per remote address.
 * The socket is shared by the configs that listen there (as Caddy's packet conn pool): a reload binds nothing new,
 * new remotes go to the newest config's routes, and remotes with a session keep it until the old config stops.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { ConnectionInfo } from '../../listener-wrapper.js';
import type { NetworkAddress } from '../proxy/address.js';
import { routeConnection } from '../runtime.js';
import type { Layer4Runtime, RouteList } from '../types.js';
import { PacketConn } from './packet-conn.js';

/** One config's use of a shared socket. */
interface Claimant {
  sessions: Map<string, PacketConn>;
  onNew(msg: Buffer, rinfo: dgram.RemoteInfo): void;
}

interface SharedSocket {
  socket: dgram.Socket;
  /** In claim order: the last one is the newest config. */
  claimants: Claimant[];
}

const shared = new Map<string, SharedSocket>();

async function bind(key: string, type: 'udp4' | 'udp6', host: string, port: number): Promise<SharedSocket> {
  const socket = dgram.createSocket({ type, reuseAddr: false });
  const entry: SharedSocket = { socket, claimants: [] };
  socket.on('message', (msg, rinfo) => {
    const k = `${rinfo.address}|${rinfo.port}`;
    const owner = entry.claimants.find((c) => c.sessions.has(k));
    if (owner) owner.sessions.get(k)!.deliver(msg);
    else entry.claimants[entry.claimants.length - 1]?.onNew(msg, rinfo);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host === '' ? undefined : host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  shared.set(key, entry);
  return entry;
}

/** Binds (or shares) a UDP socket and routes each new remote's datagrams; resolves with the bound address and a closer. */
export async function serveUdp(
  a: NetworkAddress,
  port: number,
  list: RouteList,
  runtime: Layer4Runtime,
  idleMs: number,
): Promise<{ address: net.AddressInfo; close(): Promise<void> }> {
  const type = a.network === 'udp6' || (a.host !== '' && net.isIPv6(a.host)) ? 'udp6' : 'udp4';
  // Port 0 asks for a fresh port each time: nothing to share.
  const key = port === 0 ? undefined : `${type}|${a.host}|${port}`;
  const entry =
    (key && shared.get(key)) || (await bind(key ?? `${type}|${a.host}|0|${Math.random()}`, type, a.host, port));
  const { socket } = entry;
  const onError = (err: Error): void => runtime.logger.error({ err: err.message }, 'layer4 udp: socket error');
  socket.on('error', onError);
  const sessions = new Map<string, PacketConn>();
  const claimant: Claimant = {
    sessions,
    onNew(msg, rinfo) {
      const k = `${rinfo.address}|${rinfo.port}`;
      const c = new PacketConn(socket, rinfo.address, rinfo.port, idleMs);
      sessions.set(k, c);
      c.once('close', () => {
        if (sessions.get(k) === c) sessions.delete(k);
      });
      c.on('error', (err) => runtime.logger.debug({ err: err.message }, 'layer4 udp: session error'));
      const local = socket.address();
      const info: ConnectionInfo = {
        remoteAddress: rinfo.address,
        remotePort: rinfo.port,
        localAddress: local.address,
        localPort: local.port,
        listenAddress: `udp/${a.host}:${port}`,
      };
      void routeConnection(list, c, info, runtime, async (cx) => {
        cx.release().destroy();
      }).finally(() => c.destroy());
      c.deliver(msg);
    },
  };
  entry.claimants.push(claimant);
  let closed = false;
  return {
    address: socket.address() as net.AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        for (const c of sessions.values()) c.destroy();
        socket.off('error', onError);
        entry.claimants = entry.claimants.filter((c) => c !== claimant);
        if (entry.claimants.length > 0) return resolve();
        for (const [k, v] of shared) if (v === entry) shared.delete(k);
        socket.close(() => resolve());
      }),
  };
}
