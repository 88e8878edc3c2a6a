/** @module directives/redir: `redir [matcher] <to> [code|permanent|temporary|html]` → static_response. */
import type { Helper } from '../helper.js';
import type { StaticResponseHandler } from '@proxy/contract';
import { struct } from '../json.js';
import { weakString } from '../weak-string.js';
import type { ModuleOfKind } from '../module.js';

function escapeHTML(s: string): string {
  return s.replace(/[&'<>"]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' })[c]!);
}

/** Parses `redir` (Caddy's `parseRedir`). */
export function parseRedir(h: Helper): StaticResponseHandler {
  h.next();
  if (!h.nextArg()) throw h.argErr();
  const to = h.val();
  let code = '';
  if (h.nextArg()) code = h.val();
  if (h.nextArg()) throw h.argErr();
  let body = '';
  let headers: Record<string, string[]> | undefined;
  switch (code) {
    case 'permanent':
      code = '301';
      break;
    case 'temporary':
    case '':
      code = '302';
      break;
    case 'html': {
      const safe = escapeHTML(to);
      body = `<!DOCTYPE html>
<html>
	<head>
		<title>Redirecting...</title>
		<script>window.location.replace("${safe}");</script>
		<meta http-equiv="refresh" content="0; URL='${safe}'">
	</head>
	<body>Redirecting to <a href="${safe}">${safe}</a>...</body>
</html>
`;
      headers = { 'Content-Type': ['text/html; charset=utf-8'] };
      code = '200';
      break;
    }
    default: {
      if (code.startsWith('{')) break;
      if (!/^[+-]?\d+$/.test(code)) throw h.err(`Not a supported redir code type or not valid integer: '${code}'`);
      const n = Number(code);
      if (n < 300 || (n > 399 && n !== 401)) throw h.err(`Redir code not in the 3xx range or 401: '${n}'`);
    }
  }
  if (code !== '200') headers = { Location: [to] };
  return struct<StaticResponseHandler>({ handler: 'static_response', status_code: weakString(code), headers, body });
}

export const RedirDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'redir',
  syntax: 'redir [<matcher>] <to> [<code>]',
  doc: 'Redirects the client (302 by default; permanent, temporary, html or a 3xx code).',
  parse: parseRedir,
};
