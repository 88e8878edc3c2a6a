/** @module diagnostics: the one shape every lexer, parser, import and adapter problem is reported in. */

/** How bad a diagnostic is. Errors stop `adapt`; warnings do not. */
export type Severity = 'error' | 'warning';

/** Stable codes, so tools can filter diagnostics without matching message text. */
export type DiagnosticCode =
  | 'lexing-error'
  | 'parsing-error'
  | 'import-error'
  | 'adapt-error'
  | 'unknown-directive'
  | 'unknown-subdirective'
  | 'unknown-global-option'
  | 'unknown-module'
  | 'bad-argument'
  | 'syntax-error'
  | 'unexpected-eof'
  | 'internal-error'
  | 'adapt-warning'
  | 'format-warning';

/** A problem found in a Caddyfile, with a 1-based, end-inclusive-start / end-exclusive range. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code?: DiagnosticCode;
  /** The directive being parsed when the problem was found, where there is one. */
  directive?: string;
  /**
   * Caddy's full wording, positions included (`..., at Caddyfile:3`), where it differs from `message`: adapter
   * errors keep `message` free of positions for editors, and the CLI prints this one.
   */
  caddyMessage?: string;
  /**
   * The adapter's stages that run only when the ones before found no error, so their problems come and go with
   * errors anywhere else in the file: `structure` (which blocks are sites: a directive or matcher used as a site
   * address; nothing else is checked then) and `assembly` (the config put together from all the sites:
   * addresses, servers, certificates; runs only when every global option and site adapted). Unset for the
   * global options and sites, each checked on its own.
   */
  stage?: 'structure' | 'assembly';
}

/** A position range in a source file (1-based lines and columns; end column is exclusive). */
export interface SourceRange {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0-based offsets into the file's text as written (before environment substitution). */
  offset: number;
  endOffset: number;
}

/** Formats a diagnostic the way the CLI prints it: `FILE:LINE:COLUMN: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  // Caddy's own wording often starts with `FILE:LINE: `; the position is already in front. Caddy's LINE counts
  // lines after `{$VAR}` substitution and `\`-continuations, so it may differ from the position in the file.
  return `${where}: ${prefix}${withoutOwnPosition(d.caddyMessage ?? d.message, d.file)}`;
}

/** The message without a leading `FILE:LINE: ` for the diagnostic's own file. */
function withoutOwnPosition(message: string, file: string): string {
  if (!message.startsWith(`${file}:`)) return message;
  let i = file.length + 1;
  const digits = i;
  while (i < message.length && message.charCodeAt(i) >= 48 && message.charCodeAt(i) <= 57) i++;
  return i > digits && message.startsWith(': ', i) ? message.slice(i + 2) : message;
}
