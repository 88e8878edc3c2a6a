/** @module layer4/postgres/cancel: forwards a CancelRequest to the backend that issued its key. */
import type { Duplex } from 'node:stream';
import type { Connection } from '../connection.js';
import type { Layer4Runtime } from '../types.js';
import { CANCEL_REQUEST_CODE } from './messages.js';

/** The 16-byte CancelRequest for a key. */
export function cancelRequest(processId: number, secret: Buffer): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(16, 0);
  b.writeUInt32BE(CANCEL_REQUEST_CODE, 4);
  b.writeUInt32BE(processId >>> 0, 8);
  secret.copy(b, 12, 0, 4);
  return b;
}

/**
 * Sends the CancelRequest to the backend remembered for its key, then closes the client's connection (as
 * PostgreSQL does: no reply). Returns false if the key is unknown (nothing was sent).
 */
export async function forwardCancel(
  cx: Connection,
  processId: number,
  secret: Buffer,
  runtime: Layer4Runtime,
): Promise<boolean> {
  const target = runtime.cancelKeys.lookup(processId, secret);
  if (!target) {
    cx.log.info({ remote: cx.info.remoteAddress }, 'postgres cancel request with an unknown key; dropped');
    cx.stream.destroy();
    return false;
  }
  try {
    const up = await target.connect();
    up.end(cancelRequest(processId, secret));
    up.resume();
    await closed(up, 10_000);
    cx.log.info({ backend: target.describe }, 'postgres cancel request forwarded');
  } catch (err) {
    cx.log.error({ backend: target.describe, err: (err as Error).message }, 'postgres cancel request failed');
  }
  cx.stream.destroy();
  return true;
}

/** Resolves when the stream closes, or destroys it after `ms`. */
export function closed(stream: Duplex, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    const timer = setTimeout(() => stream.destroy(), ms);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.once('error', () => stream.destroy());
  });
}
