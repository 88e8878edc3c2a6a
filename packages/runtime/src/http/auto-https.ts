/**
 * @module http/auto-https: Caddy's automatic HTTPS: servers with host names on the HTTPS port get TLS,
 * their names get managed certificates, and HTTP->HTTPS redirects are added on the HTTP port.
 */
import type { HttpApp, HttpServer, Route } from '@proxy/contract';
import type { TlsAppImpl } from '../tls/app.js';
import { parseNetworkAddress, type NetworkAddress } from '../listen/address.js';
import { joinPath } from '../util/errors.js';

/** The result of planning automatic HTTPS. */
export interface AutoHttpsPlan {
  /** The servers, possibly with TLS policies and redirect routes added, plus a redirect server. */
  servers: Record<string, HttpServer>;
  /** Names that need managed certificates. */
  manage: string[];
}

/**
 * Caddy's makeRedirRoute: the Location carries the site's port unless it is one a browser or Caddy would imply
 * (80, 443, http_port, https_port), and the connection is closed after the redirect.
 */
function redirectRoute(names: string[] | undefined, toPort: number, httpPort: number, httpsPort: number): Route {
  const implied = toPort === httpPort || toPort === httpsPort || toPort === 80 || toPort === 443;
  const port = implied ? '' : `:${toPort}`;
  return {
    match: [{ protocol: 'http', ...(names ? { host: names } : {}) }],
    handle: [
      {
        handler: 'static_response',
        headers: { Location: [`https://{http.request.host}${port}{http.request.uri}`] },
        status_code: 308,
        close: true,
      },
    ],
  };
}

function addrString(a: { network: string; host: string }, port: number): string {
  const h = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.network === 'tcp' ? '' : `${a.network}/`}${h}:${port}`;
}

/** Caddy's hasListenerAddress on Linux: same network and the port inside a listener's range, any host. */
function hasListener(srv: HttpServer, addr: string): boolean {
  let want;
  try {
    want = parseNetworkAddress(addr, '');
  } catch {
    return false;
  }
  return (srv.listen ?? []).some((l) => {
    try {
      const a = parseNetworkAddress(l, '');
      return a.network === want.network && want.startPort >= a.startPort && want.startPort <= a.endPort;
    } catch {
      return false;
    }
  });
}

/** Index just after the last route with a host matcher, or 0 when no route has one. */
function afterLastHostRoute(routes: Route[]): number {
  let idx = 0;
  routes.forEach((rt, i) => {
    if ((rt.match ?? []).some((set) => set.host !== undefined)) idx = i + 1;
  });
  return idx;
}

/** Plans automatic HTTPS over the app's servers (pure: returns new server configs). */
export function planAutoHttps(app: HttpApp, tls: TlsAppImpl, path: string): AutoHttpsPlan {
  const httpPort = app.http_port ?? 80;
  const httpsPort = app.https_port ?? 443;
  const servers: Record<string, HttpServer> = {};
  const manage = new Set<string>();
  // Each name redirects to one of its HTTPS listeners (the https_port one when there is a choice); "" stands for
  // catch-all servers, which get a redirect without a host matcher.
  const redirDomains = new Map<string, NetworkAddress[]>();
  for (const [name, srv0] of Object.entries(app.servers ?? {})) {
    const srv: HttpServer = { ...srv0 };
    servers[name] = srv;
    const ah = srv.automatic_https ?? {};
    const addrs = (srv.listen ?? []).map((a, i) =>
      parseNetworkAddress(a, joinPath(joinPath(joinPath(path, name), 'listen'), i)),
    );
    const onlyHttp = addrs.length > 0 && addrs.every((a) => a.startPort === httpPort && a.endPort === httpPort);
    if (ah.disable || onlyHttp) continue;
    const skip = new Set((ah.skip ?? []).map((h) => h.toLowerCase()));
    const names = new Set<string>();
    for (const rt of srv.routes ?? [])
      for (const set of rt.match ?? [])
        for (const h of (set.host as string[] | undefined) ?? []) {
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
    if (ah.disable_redirects) continue;
    for (const addr of addrs) {
      if (names.size === 0) {
        redirDomains.set('', [...(redirDomains.get('') ?? []), addr]);
        continue;
      }
      for (const d of names) if (!redirDomains.has(d) || addr.startPort === httpsPort) redirDomains.set(d, [addr]);
    }
  }
  const domainsByAddr = new Map<string, { addr: NetworkAddress; domains: string[] }>();
  for (const [d, list] of redirDomains)
    for (const addr of list) {
      const key = `${addr.network}/${addr.host}:${addr.startPort}-${addr.endPort}`;
      const e = domainsByAddr.get(key) ?? { addr, domains: [] };
      e.domains.push(d);
      domainsByAddr.set(key, e);
    }
  const redirServers = new Map<string, Route[]>();
  for (const { addr, domains } of domainsByAddr.values()) {
    const catchAll = domains.length === 1 && domains[0] === '';
    const at = addrString(addr, httpPort);
    redirServers.set(at, [
      ...(redirServers.get(at) ?? []),
      redirectRoute(catchAll ? undefined : domains, addr.startPort, httpPort, httpsPort),
    ]);
  }
  // Like Caddy, every server that serves redirects ends with a catch-all one to the https_port.
  const withCatchAll = (routes: Route[]): Route[] => [
    ...routes,
    redirectRoute(undefined, httpsPort, httpPort, httpsPort),
  ];
  const remaining: { listen: string[]; routes: Route[] } = { listen: [], routes: [] };
  for (const [at, routes] of redirServers) {
    const existing = Object.values(servers).find((srv) => hasListener(srv, at));
    if (existing) {
      const rts = existing.routes ?? [];
      const i = afterLastHostRoute(rts);
      // A user's catch-all wins over the redirects when no certificate is managed (Caddy's check).
      const inserted = manage.size ? [...rts.slice(0, i), ...routes, ...rts.slice(i)] : rts;
      existing.routes = withCatchAll(inserted);
      continue;
    }
    remaining.listen.push(at);
    remaining.routes.push(...routes);
  }
  if (remaining.listen.length)
    servers['remaining_auto_https_redirects'] = { listen: remaining.listen, routes: withCatchAll(remaining.routes) };
  return { servers, manage: [...manage] };
}
