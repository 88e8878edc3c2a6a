/** @module directives/order: the default order of HTTP handler directives (Caddy's `defaultDirectiveOrder`). */

/** Directives sorted into this order within a site or `handle` block; others must be in `route` or ordered. */
export const defaultDirectiveOrder: readonly string[] = [
  'tracing',
  // set variables that may be used by other directives
  'map',
  'vars',
  'fs',
  'root',
  'log_append',
  'skip_log',
  'log_skip',
  'log_name',
  'header',
  'copy_response_headers',
  'request_body',
  'timeouts',
  'redir',
  // incoming request manipulation
  'method',
  'rewrite',
  'uri',
  'try_files',
  // middleware handlers; some wrap responses
  'basicauth',
  'basic_auth',
  'forward_auth',
  'request_header',
  'encode',
  'push',
  'intercept',
  'templates',
  // special routing & dispatching directives
  'invoke',
  'handle',
  'handle_path',
  'route',
  // handlers that typically respond to requests
  'abort',
  'error',
  'copy_response',
  'respond',
  'metrics',
  'reverse_proxy',
  'php_fastcgi',
  'file_server',
  'acme_server',
];

/** `handle_path` routes sort (and group) as `handle`. */
export function normalizeDirectiveName(name: string): string {
  return name === 'handle_path' ? 'handle' : name;
}
