/**
 * @module error-codes: turns an error thrown while adapting into a diagnostic: a stable code, the message without
 * the positions Caddy writes into it (the range carries them), and the directive it was found in.
 */
import type { DiagnosticCode } from '../../diagnostics.js';
import { codeOf, messageOf } from './errors.js';

/** What a diagnostic says about one thrown error. */
export interface ErrorDetail {
  code: DiagnosticCode;
  message: string;
  directive?: string;
}

// Caddy's `WrapErr` suffix (`, at FILE:LINE` with an optional import chain) and `syntaxErr`'s variant.
const POSITION = /,? at \S+:\d+(?: import chain:? \[[^\]]*\])?/g;
const LEADING_POSITION = /^\S+:\d+: /;
const DIRECTIVE_PREFIX = /^parsing caddyfile tokens for '([^']*)': /;

/**
 * Message texts of errors thrown by module parsers through the generic `err(...)`, by kind. The dispenser's own
 * helpers (`argErr`, `syntaxErr`, `eofErr`) and the pipeline set their code where they throw; these cover the rest.
 */
const BY_TEXT: [RegExp, DiagnosticCode][] = [
  [/module not registered/, 'unknown-module'],
  [/^unrecognized directive/, 'unknown-directive'],
  [/unknown subdirective|unrecognized (?:[\w ]+ )?(?:subdirective|option|parameter)/, 'unknown-subdirective'],
  [
    /wrong argument count|expecting argument|too (?:many|few) arguments|[Ii]nvalid argument|requires one or (?:more|two) arguments/,
    'bad-argument',
  ],
  [/unexpected EOF/, 'unexpected-eof'],
];

/** The code, position-free message and innermost directive of an error thrown by the adapter. */
export function errorDetail(e: unknown): ErrorDetail {
  let message = messageOf(e).replace(LEADING_POSITION, '').replace(POSITION, '');
  let directive: string | undefined;
  for (let m = DIRECTIVE_PREFIX.exec(message); m; m = DIRECTIVE_PREFIX.exec(message)) {
    directive = m[1];
    message = message.slice(m[0].length).replace(LEADING_POSITION, '');
  }
  // A programming error, not a problem with the input: say so rather than pass it off as Caddy's wording.
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) {
    return { code: 'internal-error', message: `internal error: ${message}`, ...(directive ? { directive } : {}) };
  }
  const code = codeOf(e) ?? BY_TEXT.find(([re]) => re.test(message))?.[1] ?? 'adapt-error';
  return { code, message, ...(directive ? { directive } : {}) };
}
