/** @module util/errors: config errors that name a JSON path. */

/** One problem in a config, located by its JSON path (e.g. `apps.http.servers.srv0.listen[0]`). */
export interface ValidationError {
  path: string;
  message: string;
}

/** Thrown while loading a config; carries every problem found. */
export class ConfigError extends Error {
  readonly errors: ValidationError[];
  constructor(errors: ValidationError[]) {
    super(errors.map(formatValidationError).join('\n'));
    this.name = 'ConfigError';
    this.errors = errors;
  }
  /** One error at one path. */
  static at(path: string, message: string): ConfigError {
    return new ConfigError([{ path, message }]);
  }
}

/** "path: message", or just the message for the root. */
export function formatValidationError(e: ValidationError): string {
  return e.path ? `${e.path}: ${e.message}` : e.message;
}

/** Appends an object key to a JSON path. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}
