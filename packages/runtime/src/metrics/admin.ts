/**
 * @module metrics/admin: Caddy's admin API metrics (caddy_admin_http_requests_total and
 * caddy_admin_http_request_errors_total): each request to a route of the admin mux is counted under the
 * route's pattern and the label of the module that serves it ("admin" for Caddy's own routes); requests no
 * route serves are not counted, as Go's mux answers those itself.
 */
import type http from 'node:http';
import { sanitizeCode, sanitizeMethod } from './http.js';
import type { MetricsHub } from './hub.js';

/** The admin route serving a path: its handler label and mux pattern. */
export function adminRoute(pathname: string): { handler: string; path: string } | undefined {
  if (pathname === '/config' || pathname.startsWith('/config/')) return { handler: 'admin', path: '/config/' };
  if (pathname === '/stop') return { handler: 'admin', path: '/stop' };
  if (pathname === '/load') return { handler: 'load', path: '/load' };
  if (pathname === '/metrics') return { handler: 'metrics', path: '/metrics' };
  return undefined;
}

/** Counts an admin request when its response finishes; an error status counts as an error too. */
export function countAdminRequest(hub: MetricsHub, req: http.IncomingMessage, res: http.ServerResponse): void {
  const q = (req.url ?? '/').indexOf('?');
  const route = adminRoute(q < 0 ? (req.url ?? '/') : (req.url ?? '/').slice(0, q));
  if (!route) return;
  const method = sanitizeMethod(req.method ?? 'GET');
  res.once('finish', () => {
    hub.adminRequests.inc({ ...route, code: sanitizeCode(res.statusCode), method });
    // Caddy labels errors with the method as sent, upper-cased (not sanitized).
    if (res.statusCode >= 400) hub.adminErrors.inc({ ...route, method: (req.method ?? '').toUpperCase() });
  });
}
