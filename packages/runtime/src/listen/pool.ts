/**
 * @module listen/pool: listening sockets shared across config reloads. Each bound address keeps a stack
 * of owners; new connections go to the newest owner, so a reload swaps routes without closing the port,
 * and a failed reload that releases its claim hands connections back to the old config.
 */
import net from 'node:net';

/** Receives accepted sockets. */
export type ConnectionSink = (socket: net.Socket) => void;

interface Entry {
  server: net.Server;
  owners: Array<{ sink: ConnectionSink; owner: unknown }>;
}

const pool = new Map<string, Entry>();

/** A claim on a listener. */
export interface ListenerClaim {
  /** The bound address. */
  readonly address: net.AddressInfo;
  /** Gives up the claim; the socket closes when no claims remain. */
  release(): Promise<void>;
  /**
   * The owner that new connections go to now (the newest claim on this address), or undefined when the
   * address is no longer claimed. Still answers after release, so a released owner can find its successor.
   */
  current(): unknown;
}

function key(host: string, port: number): string {
  return `${host}|${port}`;
}

/** Binds (or shares) a TCP listener and routes new connections to `sink` until released. */
export async function claimListener(
  host: string,
  port: number,
  network: 'tcp' | 'tcp4' | 'tcp6',
  sink: ConnectionSink,
  ownerValue?: unknown,
): Promise<ListenerClaim> {
  const bindHost = host === '' ? (network === 'tcp4' ? '0.0.0.0' : '::') : host;
  const shared = port !== 0 ? pool.get(key(bindHost, port)) : undefined;
  let entry: Entry;
  if (shared) entry = shared;
  else {
    // allowHalfOpen: a client's FIN must not end our side of the socket. The http server ends it itself when
    // HTTP is done; a connection a layer4 wrapper proxies keeps sending the upstream's bytes (half-close).
    const server = net.createServer({ pauseOnConnect: false, noDelay: true, allowHalfOpen: true });
    entry = { server, owners: [] };
    server.on('connection', (sock) => {
      const top = entry.owners[entry.owners.length - 1];
      if (top) top.sink(sock);
      else sock.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: bindHost, port, ipv6Only: network === 'tcp6' }, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch(async (e: NodeJS.ErrnoException) => {
      if (host === '' && network === 'tcp' && (e.code === 'EAFNOSUPPORT' || e.code === 'EADDRNOTAVAIL')) {
        return new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host: '0.0.0.0', port }, () => {
            server.off('error', reject);
            resolve();
          });
        });
      }
      throw e;
    });
    server.on('error', () => {
      /* accept errors (EMFILE...) must not crash the process */
    });
    const addr = server.address() as net.AddressInfo;
    pool.set(key(bindHost, addr.port), entry);
  }
  const owner = { sink, owner: ownerValue };
  entry.owners.push(owner);
  const address = entry.server.address() as net.AddressInfo;
  let released = false;
  return {
    address,
    current: () => entry.owners[entry.owners.length - 1]?.owner,
    async release() {
      if (released) return;
      released = true;
      const i = entry.owners.indexOf(owner);
      if (i >= 0) entry.owners.splice(i, 1);
      if (entry.owners.length === 0) {
        pool.delete(key(bindHost, address.port));
        // close() stops accepting at once; its callback would wait for connections we handed off.
        entry.server.close();
      }
    },
  };
}
