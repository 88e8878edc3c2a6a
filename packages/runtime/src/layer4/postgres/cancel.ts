/** @module layer4/postgres/cancel: forwards a CancelRequest to the backend that issued its key. */
import type { Duplex } from 'node:stream';
import type { Connection } from '../connection.js';
import type { Layer4Runtime } from '../types.js';
import { CANCEL_REQUEST_CODE } from './messages.js';

/** The CancelRequest for a key: 16 bytes for a protocol 3.0 key, 12 + its length for a longer 3.2 one. */
export function cancelRequest(processId: number, secret: Buffer): Buffer {
  const b = Buffer.alloc(12 + secret.length);
  b.writeUInt32BE(b.length, 0);
  b.writeUInt32BE(CANCEL_REQUEST_CODE, 4);
  b.writeUInt32BE(processId >>> 0, 8);
  secret.copy(b, 12);
  return b;
}

/**
 * Sends the CancelRequest to the backend that issued its key (or, for a key no terminated session issued,
 * to the backends of live passthrough sessions), then closes the client's connection as PostgreSQL does:
 * no reply. Returns false if there was nowhere to send it (the connection is closed all the same).
 */
export async function forwardCancel(
  cx: Connection,
  processId: number,
  secret: Buffer,
  runtime: Layer4Runtime,
): Promise<boolean> {
  const { targets, fanout } = runtime.cancelKeys.targetsFor(processId, secret);
  if (targets.length === 0) {
    cx.log.info({ remote: cx.info.remoteAddress }, 'postgres cancel request with an unknown key; dropped');
    cx.stream.destroy();
    return false;
  }
  await Promise.all(
    targets.map(async (target) => {
      try {
        const up = await target.connect();
        up.end(cancelRequest(processId, secret));
        up.resume();
        await closed(up, 10_000);
        cx.log.info({ backend: target.describe, fanout }, 'postgres cancel request forwarded');
      } catch (err) {
        cx.log.error({ backend: target.describe, err: (err as Error).message }, 'postgres cancel request failed');
      }
    }),
  );
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
