/** @module directives/error: `error [matcher] [message|status] [status] { message }` → error handler. */
import type { Helper } from '../helper.js';
import type { ErrorHandler } from '@proxy/contract';
import { struct } from '../json.js';
import { isStatusCode, weakString } from '../weak-string.js';
import type { ModuleOfKind } from '../module.js';

/** Parses `error` (Caddy's `StaticError.UnmarshalCaddyfile`). */
export function parseError(h: Helper): ErrorHandler {
  h.next();
  const args = h.remainingArgs();
  let status = '';
  let message = '';
  if (args.length === 1) {
    if (isStatusCode(args[0]!)) status = args[0]!;
    else message = args[0]!;
  } else if (args.length === 2) [message, status] = [args[0]!, args[1]!];
  else throw h.argErr();
  for (const n = h.nesting(); h.nextBlock(n); ) {
    switch (h.val()) {
      case 'message': {
        if (message !== '') throw h.err('message already specified');
        const a = h.allArgs(1);
        if (!a) throw h.argErr();
        message = a[0]!;
        break;
      }
      default:
        throw h.err(`unrecognized subdirective '${h.val()}'`);
    }
  }
  return struct<ErrorHandler>({
    handler: 'error',
    error: message,
    status_code: status ? weakString(status) : undefined,
  });
}

export const ErrorDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'error',
  syntax: 'error [<matcher>] <status>|<message> [<status>] { message <text> }',
  doc: 'Triggers an error, which handle_errors can handle.',
  subdirectives: [{ name: 'message', syntax: 'message <text>', doc: 'The error message.' }],
  parse: parseError,
};
