/** @module layer4/udp/packet-conn: a UDP "connection" — the datagrams of one remote address, as a Duplex of whole datagrams. */
import type dgram from 'node:dgram';
import { Duplex } from 'node:stream';

/**
 * One remote peer of a UDP socket. Reads yield whole datagrams (object mode keeps their boundaries),
 * writes send one datagram each. The association ends after `idleMs` without traffic either way.
 */
export class PacketConn extends Duplex {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: dgram.Socket,
    readonly remoteAddress: string,
    readonly remotePort: number,
    private readonly idleMs: number,
  ) {
    super({ readableObjectMode: true, allowHalfOpen: true });
    this.touch();
  }

  /** Hands the stream a datagram that arrived from the remote. */
  deliver(msg: Buffer): void {
    this.touch();
    this.push(msg);
  }

  private touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.push(null);
      this.destroy();
    }, this.idleMs);
    this.timer.unref();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.touch();
    this.socket.send(chunk, this.remotePort, this.remoteAddress, (err) => cb(err));
  }

  /** UDP has no half-close: the end of the other side's stream just stops sending. */
  override _final(cb: () => void): void {
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    clearTimeout(this.timer);
    cb(err);
  }
}
