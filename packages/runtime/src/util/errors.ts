/** @module util/errors: config errors that name a JSON path (the path itself is part of @proxy/contract). */
import type { ValidationError } from '@proxy/contract';

export { joinPath, type ValidationError } from '@proxy/contract';

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
