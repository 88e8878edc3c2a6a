/** @module layer4/handlers/postgres-tls: `layer4.handlers.postgres_tls` — consumes an SSLRequest, answers 'S', continues. */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { SSL_REQUEST } from '../postgres/messages.js';
import type { Handler, HandlerFactory, Next } from '../types.js';

const READ_TIMEOUT_MS = 10_000;

class PostgresTlsHandler implements Handler {
  async handle(cx: Connection, next: Next): Promise<void> {
    const request = await cx.consume(8, performance.now() + READ_TIMEOUT_MS);
    if (!request.equals(SSL_REQUEST)) {
      cx.log.info({ remote: cx.info.remoteAddress }, 'layer4 postgres_tls: first message is not an SSLRequest');
      cx.release().destroy();
      return;
    }
    if (cx.buffer.length > 0) {
      // PostgreSQL's own check: bytes sent before our answer would be unencrypted data after SSL request.
      cx.log.warn(
        { remote: cx.info.remoteAddress },
        'layer4 postgres_tls: received unencrypted data after SSL request',
      );
      cx.release().destroy();
      return;
    }
    cx.stream.write('S');
    await next(cx.wrap(cx.stream, { ...cx.state, postgres: { sslAnswered: true, plaintext: false } }));
  }
}

export const createPostgresTlsHandler: HandlerFactory = (json, path) => {
  for (const key of Object.keys(json)) {
    if (key !== 'handler') throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
  return new PostgresTlsHandler();
};
