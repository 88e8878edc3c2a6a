/** @module layer4/postgres/fallback: what a PostgreSQL-aware route list does with a PostgreSQL message no route took. */
import type { Connection } from '../connection.js';
import type { Layer4Runtime } from '../types.js';
import { forwardCancel } from './cancel.js';
import { errorResponse, parseFirstMessage, SQLSTATE } from './messages.js';

/**
 * 'rematch': a GSSENCRequest or SSLRequest was refused with 'N' and consumed; the client's next message
 * must be matched. 'done': the connection was answered and closed (ErrorResponse, forwarded cancel).
 * 'next': not a PostgreSQL message (or the route list does not speak PostgreSQL); fall through as usual.
 *
 * Any route list forwards a CancelRequest whose key a proxied session of this process issued (the bytes
 * are unambiguous, and libpq sends cancels in plaintext even for TLS sessions). Only PostgreSQL-aware
 * lists (`aware`) answer the rest.
 */
export async function postgresFallback(
  cx: Connection,
  runtime: Layer4Runtime,
  aware: boolean,
  mayRefuse: boolean,
): Promise<'rematch' | 'done' | 'next'> {
  const pg = cx.state.postgres;
  if (pg?.sslAnswered && !pg.plaintext) {
    // We said 'S' and no route takes the client's TLS: nothing else can speak to it.
    cx.log.info({ remote: cx.info.remoteAddress }, 'postgres: no route for the TLS handshake after SSLRequest');
    cx.stream.destroy();
    return 'done';
  }
  const msg = parseFirstMessage(cx.buffer);
  if (msg === null || msg === 'more') return 'next';
  if (!aware) {
    if (msg.kind !== 'cancel' || runtime.cancelKeys.targetsFor(msg.processId, msg.secretKey).targets.length === 0)
      return 'next';
    await forwardCancel(cx, msg.processId, msg.secretKey, runtime);
    return 'done';
  }
  switch (msg.kind) {
    case 'gssenc':
    case 'ssl':
      if (!mayRefuse) break;
      // No route takes this encryption request: decline so the client goes on (TLS or plaintext startup).
      cx.discard(msg.length);
      cx.stream.write('N');
      cx.log.debug({ request: msg.kind }, 'postgres encryption request declined');
      return 'rematch';
    case 'cancel':
      await forwardCancel(cx, msg.processId, msg.secretKey, runtime);
      return 'done';
    case 'startup': {
      const user = msg.params.get('user');
      const database = msg.params.get('database') ?? user;
      cx.log.info({ user, database, remote: cx.info.remoteAddress }, 'postgres startup matched no route');
      await endWith(
        cx,
        errorResponse(
          SQLSTATE.invalidAuthorization,
          `no route for user "${user ?? ''}" and database "${database ?? ''}"`,
        ),
      );
      return 'done';
    }
  }
  await endWith(cx, errorResponse(SQLSTATE.protocolViolation, 'unexpected encryption request'));
  return 'done';
}

/** Writes a last message and closes, bounded: a client that does not read is destroyed after 5s. */
export function endWith(cx: Connection, bytes: Buffer): Promise<void> {
  const stream = cx.stream;
  return new Promise((resolve) => {
    if (stream.destroyed) return resolve();
    const timer = setTimeout(() => stream.destroy(), 5000);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.end(bytes, () => {
      clearTimeout(timer);
      stream.destroy();
    });
  });
}
