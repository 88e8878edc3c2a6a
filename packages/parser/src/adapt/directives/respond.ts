/** @module directives/respond: `respond [matcher] [body|status] [status] { body; close }` → static_response. */
import type { Helper } from '../helper.js';
import type { StaticResponseHandler } from '@proxy/contract';
import { struct } from '../json.js';
import { isStatusCode, weakString } from '../weak-string.js';
import type { ModuleOfKind } from '../module.js';

/** Parses `respond` (Caddy's `StaticResponse.UnmarshalCaddyfile`). */
export function parseRespond(h: Helper): StaticResponseHandler {
  h.next();
  const args = h.remainingArgs();
  let status = '';
  let body = '';
  let close = false;
  if (args.length === 1) {
    if (isStatusCode(args[0]!)) status = args[0]!;
    else body = args[0]!;
  } else if (args.length === 2) {
    [body, status] = [args[0]!, args[1]!];
  } else throw h.argErr();
  for (const n = h.nesting(); h.nextBlock(n); ) {
    switch (h.val()) {
      case 'body': {
        if (body !== '') throw h.err('body already specified');
        const a = h.allArgs(1);
        if (!a) throw h.argErr();
        body = a[0]!;
        break;
      }
      case 'close':
        if (close) throw h.err('close already specified');
        close = true;
        break;
      default:
        throw h.err(`unrecognized subdirective '${h.val()}'`);
    }
  }
  return struct<StaticResponseHandler>({
    handler: 'static_response',
    status_code: status ? weakString(status) : undefined,
    body,
    close,
  });
}

/** Parses `abort`: a static response that aborts the connection. */
export function parseAbort(h: Helper): StaticResponseHandler {
  h.next();
  while (h.next() || h.nextBlock(0)) throw h.argErr();
  return { abort: true, handler: 'static_response' };
}

export const RespondDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'respond',
  syntax: 'respond [<matcher>] <status>|<body> [<status>] { body <text>; close }',
  doc: 'Writes a hard-coded response.',
  subdirectives: [
    { name: 'body', syntax: 'body <text>', doc: 'The response body.' },
    { name: 'close', syntax: 'close', doc: 'Closes the connection after responding.' },
  ],
  parse: parseRespond,
};

export const AbortDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'abort',
  syntax: 'abort [<matcher>]',
  doc: 'Closes the connection without a response.',
  parse: parseAbort,
};
