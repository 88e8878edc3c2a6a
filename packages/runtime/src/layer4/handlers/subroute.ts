/** @module layer4/handlers/subroute: `layer4.handlers.subroute` — nested routes with their own matching timeout. */
import type { Connection } from '../connection.js';
import { durationMs } from '../duration.js';
import { Layer4ConfigError } from '../errors.js';
import { serveRoutes } from '../serve.js';
import type { HandlerFactory, Next } from '../types.js';

export const createSubrouteHandler: HandlerFactory = (json, path, compiler) => {
  for (const key of Object.keys(json)) {
    if (!['handler', 'routes', 'matching_timeout'].includes(key))
      throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
  const timeout = durationMs(json['matching_timeout'], `${path}.matching_timeout`, 3000);
  const list = compiler.routes(json['routes'], `${path}.routes`, timeout);
  return {
    // Routes that do not terminate fall through to the parent chain's next.
    handle: (cx: Connection, next: Next) => serveRoutes(list, cx, next, compiler.runtime),
  };
};
