/** @module http/h1/linger: the last-resort drop of a connection that is closing but whose peer does not read. */
import type { Duplex } from 'node:stream';

/**
 * Destroys the connection after `ms` unless it closed first. The timer is cleared on 'close': a pending
 * timer holds its closure, and through it the socket, its connection state and their buffers, for the whole
 * wait, long after the connection is gone.
 */
export function destroyAfter(sock: Duplex, ms: number): void {
  if (sock.destroyed) return;
  const t = setTimeout(() => sock.destroy(), ms);
  t.unref();
  sock.once('close', () => clearTimeout(t));
}
