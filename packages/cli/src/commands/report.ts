/** @module commands/report: prints errors for people (no stack traces) and returns the exit code. */
import { ConfigError, formatValidationError } from '@proxy/runtime';
import { ConfigFileError } from './config-file.js';

/** Prints an error to stderr and returns exit code 1. */
export function reportError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (e instanceof ConfigError) write(`${e.errors.map(formatValidationError).join('\n')}\n`);
  else if (e instanceof ConfigFileError) write(`${e.message}\n`);
  else write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}
