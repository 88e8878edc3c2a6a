/**
 * @module layer4/handlers/in-flight-conn: `layer4.handlers.in_flight_conn`, proxy's own (caddy-l4 has no such
 * handler): at most `amount` simultaneous connections per client IP through this handler; over it, the connection
 * is closed. Traefik's TCP `inFlightConn` middleware (pkg/middlewares/tcp/inflightconn), which the Traefik adapter
 * lowers to it. Each occurrence in the config counts on its own, as each Traefik router gets its own middleware.
 */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import type { HandlerFactory, Next } from '../types.js';

export const createInFlightConnHandler: HandlerFactory = (json, path) => {
  for (const key of Object.keys(json)) {
    if (key !== 'handler' && key !== 'amount') throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
  const amount = json['amount'];
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1)
    throw new Layer4ConfigError(`${path}.amount`, 'must be a positive integer');
  const open = new Map<string, number>();
  return {
    async handle(cx: Connection, next: Next) {
      const ip = cx.info.remoteAddress.replace(/^::ffff:/, '');
      const n = open.get(ip) ?? 0;
      if (n >= amount) {
        cx.log.debug({ remote: ip, amount }, 'layer4 in_flight_conn: limit reached, closing the connection');
        cx.release().destroy();
        return;
      }
      open.set(ip, n + 1);
      let counted = true;
      const done = (): void => {
        if (!counted) return;
        counted = false;
        const left = (open.get(ip) ?? 1) - 1;
        if (left <= 0) open.delete(ip);
        else open.set(ip, left);
      };
      // The connection counts until its stream closes, whenever the rest of the chain returns.
      if (cx.stream.destroyed) done();
      else cx.stream.once('close', done);
      try {
        await next(cx);
      } catch (e) {
        done();
        throw e;
      }
    },
  };
};
