/** @module layer4/udp/upstream: a connected UDP socket to an upstream, as a Duplex of whole datagrams. */
import dgram from 'node:dgram';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { resolve, type ResolverPreference } from '../proxy/dial.js';
import type { NetworkAddress } from '../proxy/address.js';

class UdpUpstream extends Duplex {
  constructor(private readonly socket: dgram.Socket) {
    super({ readableObjectMode: true, allowHalfOpen: true });
    socket.on('message', (msg) => this.push(msg));
    socket.on('error', (err) => this.destroy(err));
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.send(chunk, (err) => cb(err));
  }

  override _final(cb: () => void): void {
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    cb(err);
  }
}

/** "Dials" a UDP upstream: a socket connected to its first resolved address. */
export async function dialUdp(a: NetworkAddress, pref: ResolverPreference): Promise<Duplex> {
  const [ip] = await resolve(a.host, pref, a.network === 'udp4' ? 'tcp4' : a.network === 'udp6' ? 'tcp6' : 'tcp');
  const socket = dgram.createSocket(net.isIPv6(ip!) ? 'udp6' : 'udp4');
  await new Promise<void>((res, rej) => {
    socket.once('error', rej);
    socket.connect(a.port, ip!, () => {
      socket.off('error', rej);
      res();
    });
  });
  return new UdpUpstream(socket);
}
