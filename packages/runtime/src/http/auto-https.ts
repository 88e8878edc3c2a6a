/**
 * @module http/auto-https: Caddy's automatic HTTPS: servers with host names on the HTTPS port get TLS,
 * their names get managed certificates, and HTTP->HTTPS redirects are added on the HTTP port.
 */
import type { HttpApp, HttpServer, Route } from '../config/http.js';
import type { TlsAppImpl } from '../tls/app.js';
import { parseNetworkAddress } from '../listen/address.js';
import { joinPath } from '../util/errors.js';

/** The result of planning automatic HTTPS. */
export interface AutoHttpsPlan {
  /** The servers, possibly with TLS policies and redirect routes added, plus a redirect server. */
  servers: Record<string, HttpServer>;
  /** Names that need managed certificates. */
  manage: string[];
}

function redirectRoute(names: string[] | undefined, httpsPort: number): Route {
  const port = httpsPort === 443 ? '' : `:${httpsPort}`;
  return {
    ...(names ? { match: [{ host: names }] } : {}),
    handle: [{ handler: 'static_response', headers: { Location: [`https://{http.request.host}${port}{http.request.uri}`] }, status_code: 308 }],
    terminal: true,
  };
}

/** Plans automatic HTTPS over the app's servers (pure: returns new server configs). */
export function planAutoHttps(app: HttpApp, tls: TlsAppImpl, path: string): AutoHttpsPlan {
  const httpPort = app.http_port ?? 80;
  const httpsPort = app.https_port ?? 443;
  const servers: Record<string, HttpServer> = {};
  const manage = new Set<string>();
  const redirects: Array<{ names: string[] | undefined; hosts: string[] }> = [];
  for (const [name, srv0] of Object.entries(app.servers ?? {})) {
    const srv: HttpServer = { ...srv0 };
    servers[name] = srv;
    const ah = srv.automatic_https ?? {};
    const addrs = (srv.listen ?? []).map((a, i) => parseNetworkAddress(a, joinPath(joinPath(joinPath(path, name), 'listen'), i)));
    const onlyHttp = addrs.length > 0 && addrs.every((a) => a.startPort === httpPort && a.endPort === httpPort);
    if (ah.disable || onlyHttp) continue;
    const skip = new Set((ah.skip ?? []).map((h) => h.toLowerCase()));
    const names = new Set<string>();
    for (const rt of srv.routes ?? []) for (const set of rt.match ?? []) for (const h of (set.host as string[] | undefined) ?? []) {
      const n = h.toLowerCase();
      if (!n.includes('{') && !skip.has(n)) names.add(n);
    }
    const onHttpsPort = addrs.some((a) => a.startPort <= httpsPort && httpsPort <= a.endPort);
    const hasPolicies = (srv.tls_connection_policies?.length ?? 0) > 0;
    if (!hasPolicies && names.size === 0 && !onHttpsPort) continue;
    if (!hasPolicies) srv.tls_connection_policies = [{}];
    if (!ah.disable_certificates) {
      const skipCerts = new Set((ah.skip_certificates ?? []).map((h) => h.toLowerCase()));
      for (const n of names) {
        if (skipCerts.has(n)) continue;
        if (!ah.ignore_loaded_certificates && tls.cache.covers(n) && !tls.cache.lookup(n)!.managed) continue;
        manage.add(n);
      }
    }
    // Like Caddy, redirects are for the server's domain names; a catch-all TLS server gets none.
    if (!ah.disable_redirects && names.size) redirects.push({ names: [...names], hosts: [...new Set(addrs.map((a) => a.host))] });
  }
  if (redirects.length) {
    const routes: Route[] = [];
    routes.push(redirectRoute([...new Set(redirects.flatMap((r) => r.names ?? []))], httpsPort));
    const existing = Object.values(servers).find((s) => (s.listen ?? []).some((a) => { try { const p = parseNetworkAddress(a, ''); return p.startPort === httpPort; } catch { return false; } }));
    if (existing) existing.routes = [...routes, ...(existing.routes ?? [])];
    else {
      const hosts = [...new Set(redirects.flatMap((r) => r.hosts))];
      const listen = (hosts.includes('') ? [''] : hosts).map((h) => (h.includes(':') ? `[${h}]:${httpPort}` : `${h}:${httpPort}`));
      servers['remaining_auto_https_redirects'] = { listen, routes };
    }
  }
  return { servers, manage: [...manage] };
}
