/** @module layer4/errors: config errors that name the JSON path, and the connection-phase errors. */

/** A config error; `path` is the JSON path of the offending value (e.g. `apps.layer4.servers.srv0.routes[1]`). */
export class Layer4ConfigError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'Layer4ConfigError';
  }
}

/** Why matching gave up on a connection (it is then closed). */
export class MatchingError extends Error {
  constructor(
    readonly reason: 'timeout' | 'buffer_full' | 'eof' | 'read_error',
    message: string,
  ) {
    super(message);
    this.name = 'MatchingError';
  }
}
