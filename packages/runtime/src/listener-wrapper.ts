/** @module listener-wrapper: the contract between a server's accept loop and its listener wrappers. */
import type { Duplex } from 'node:stream';

/** What a wrapper knows about the connection besides its bytes. */
export interface ConnectionInfo {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  /** The listen address of the server that accepted it, as written in the config (e.g. ":443"). */
  listenAddress: string;
}

/**
 * A listener wrapper, like Caddy's `caddy.ListenerWrapper`: it sees each accepted connection in turn and
 * either hands a connection (the same one, or a new stream that replays bytes it has read) to the next
 * wrapper in the chain, or takes the connection over itself and returns null.
 *
 * The chain runs in config order. The `tls` wrapper marks where TLS is terminated: wrappers before it
 * see raw bytes, wrappers after it see decrypted ones. After the last wrapper the connection goes to the
 * HTTP server.
 */
export interface ListenerWrapper {
  /** The wrapper's module name in `caddy.listeners` (e.g. "layer4", "tls", "proxy_protocol"). */
  readonly name: string;
  wrap(conn: Duplex, info: ConnectionInfo): Promise<Duplex | null> | Duplex | null;
  /** Releases timers and connections the wrapper owns (config unload). */
  close?(): Promise<void> | void;
}
