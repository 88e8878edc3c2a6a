/** @module layer4/handlers/simple: `layer4.handlers.echo` and `layer4.handlers.close` (terminal, no options). */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { closed } from '../postgres/cancel.js';
import type { HandlerFactory } from '../types.js';

function noOptions(json: Record<string, unknown>, path: string): void {
  for (const key of Object.keys(json)) {
    if (key !== 'handler') throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
}

/** Writes back whatever it reads until the client closes. */
export const createEchoHandler: HandlerFactory = (json, path) => {
  noOptions(json, path);
  return {
    async handle(cx: Connection) {
      const s = cx.release();
      s.pipe(s);
      s.on('error', () => s.destroy());
      await closed(s, 24 * 3600_000);
    },
  };
};

/** Closes the connection. */
export const createCloseHandler: HandlerFactory = (json, path) => {
  noOptions(json, path);
  return {
    async handle(cx: Connection) {
      cx.release().destroy();
    },
  };
};
