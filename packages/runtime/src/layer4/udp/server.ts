/** @module layer4/udp/server: a layer4 server on a UDP address — one routed pseudo-connection per remote address. */
import dgram from 'node:dgram';
import net from 'node:net';
import type { ConnectionInfo } from '../../listener-wrapper.js';
import type { NetworkAddress } from '../proxy/address.js';
import { routeConnection } from '../runtime.js';
import type { Layer4Runtime, RouteList } from '../types.js';
import { PacketConn } from './packet-conn.js';

/** Binds a UDP socket and routes each new remote's datagrams; resolves with the bound address and a closer. */
export async function serveUdp(
  a: NetworkAddress,
  port: number,
  list: RouteList,
  runtime: Layer4Runtime,
  idleMs: number,
): Promise<{ address: net.AddressInfo; close(): Promise<void> }> {
  const type = a.network === 'udp6' || (a.host !== '' && net.isIPv6(a.host)) ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type, reuseAddr: false });
  const sessions = new Map<string, PacketConn>();
  socket.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}|${rinfo.port}`;
    let conn = sessions.get(key);
    if (!conn) {
      const c = new PacketConn(socket, rinfo.address, rinfo.port, idleMs);
      conn = c;
      sessions.set(key, c);
      c.once('close', () => {
        if (sessions.get(key) === c) sessions.delete(key);
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
    }
    conn.deliver(msg);
  });
  socket.on('error', (err) => runtime.logger.error({ err: err.message }, 'layer4 udp: socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, a.host === '' ? undefined : a.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    address: socket.address() as net.AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of sessions.values()) c.destroy();
        socket.close(() => resolve());
      }),
  };
}
