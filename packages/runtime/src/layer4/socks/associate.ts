/** @module layer4/socks/associate: the SOCKS5 UDP ASSOCIATE relay, alive as long as its control connection. */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { decodeAddress, encodeAddress } from './protocol.js';

/**
 * Binds a UDP relay on `bindIp`. Datagrams from the client's IP carry a SOCKS UDP header naming their
 * destination; replies from elsewhere go back to the client wrapped in a header naming their source.
 * Returns the relay's address; the relay closes with `control`.
 */
export async function startUdpRelay(
  control: Duplex,
  clientIp: string,
  bindIp: string,
  log: Logger,
): Promise<{ address: string; port: number }> {
  const plain = (ip: string): string => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);
  const sock = dgram.createSocket(net.isIPv6(plain(bindIp)) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, plain(bindIp), () => {
      sock.off('error', reject);
      resolve();
    });
  });
  let client: dgram.RemoteInfo | undefined;
  sock.on('message', (msg, rinfo) => {
    if (plain(rinfo.address) === plain(clientIp) && (!client || client.port === rinfo.port)) {
      client = rinfo;
      if (msg.length < 4 || msg[2] !== 0) return; // fragments are not supported: drop
      const dst = decodeAddress(msg, 3);
      if (dst === null || dst === 'more') return;
      sock.send(msg.subarray(dst.end), dst.port, dst.host);
      return;
    }
    if (!client) return;
    sock.send(
      Buffer.concat([Buffer.from([0, 0, 0]), encodeAddress(rinfo.address, rinfo.port), msg]),
      client.port,
      client.address,
    );
  });
  sock.on('error', (err) => log.debug({ err: err.message }, 'socks5 udp relay error'));
  const close = (): void => {
    try {
      sock.close();
    } catch {
      // already closed
    }
  };
  control.once('close', close);
  control.once('end', close);
  control.resume(); // the control connection carries nothing more; keep reading to see it end
  const a = sock.address();
  return { address: a.address, port: a.port };
}
