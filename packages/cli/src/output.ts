/** @module output: how the CLI reports problems: one line each on stderr, exit code 1, never a stack trace. */
import { formatDiagnostic, type Diagnostic } from '@proxy/parser';

/** Prints an error line and sets the exit code to 1. */
export function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

/** Prints diagnostics as `FILE:LINE:COLUMN: message`. */
export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}
