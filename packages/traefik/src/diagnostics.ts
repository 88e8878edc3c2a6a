/** @module diagnostics: errors and warnings of the Traefik adapter, placed at a key path and a line of the file. */

/** One problem: the file, the 1-based line and column of the key it concerns, its key path, and the message. */
export interface TraefikDiagnostic {
  file: string;
  line: number;
  column: number;
  /** Dotted key path in the Traefik config, e.g. `tcp.routers.Router-1.rule`. */
  path: string;
  message: string;
}

/** A problem that stops adapting the router, service or option it is in. */
export class TraefikConfigError extends Error {
  constructor(readonly diagnostic: TraefikDiagnostic) {
    super(formatTraefikDiagnostic(diagnostic));
  }
}

/** `FILE:LINE:COLUMN: PATH: message` (`FILE:LINE:COLUMN: warning: PATH: message`), the CLI's formats. */
export function formatTraefikDiagnostic(d: TraefikDiagnostic, severity: 'error' | 'warning' = 'error'): string {
  return `${d.file}:${d.line}:${d.column}: ${severity === 'warning' ? 'warning: ' : ''}${d.path ? `${d.path}: ` : ''}${d.message}`;
}
