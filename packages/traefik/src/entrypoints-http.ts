/**
 * @module entrypoints-http: what an entry point's static settings do to the HTTP server listening on it.
 * It runs on the adapted config, whoever built its http servers: the server of an entry point is the one listening
 * on its address (created when the entry point needs one: a redirection, or an ACME http-01 challenge).
 *
 * - `http.redirections.entryPoint`: Traefik's redirect router (priority MaxInt - 1, so before every router; with a
 *   `priority`, after the HTTP routers of the entry point whose priority is higher):
 *   301 for GET, 308 otherwise when permanent (302 / 307 when not), to the target's scheme and port.
 * - `forwardedHeaders`: X-Forwarded-* of trusted sources are kept (Caddy's `trusted_proxies`; the client IP is
 *   read from X-Forwarded-For, Caddy's default `client_ip_headers`).
 * - `proxyProtocol`: the `proxy_protocol` listener wrapper before TLS.
 * - `transport.respondingTimeouts`: the server's read, write and idle timeouts.
 */
import type { Config, HttpServer, Layer4Server, Route } from '@proxy/contract';
import type { CertResolvers } from './acme.js';
import type { EntryPoint } from './static.js';
import type { Problems } from './tcp.js';

function listensOn(listen: string[] | undefined, address: string): boolean {
  return (listen ?? []).some((l) => l === address || l === `tcp/${address}`);
}

/** Traefik's redirectScheme drops the port that is the scheme's default. */
function location(scheme: string, port: string): string {
  const defaultPort = (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
  return `${scheme}://{http.request.host}${defaultPort ? '' : `:${port}`}{http.request.uri}`;
}

function redirectRoutes(r: NonNullable<EntryPoint['redirect']>): Route[] {
  const to = location(r.scheme, r.port);
  const respond = (status: number) => ({
    handler: 'static_response',
    status_code: status,
    headers: { Location: [to] },
  });
  return [
    { match: [{ method: ['GET'] }], handle: [respond(r.permanent ? 301 : 302)] },
    { handle: [respond(r.permanent ? 308 : 307)] },
  ];
}

/** Traefik answers what no router takes with Go's http.NotFound. */
const NOT_FOUND: Route = {
  handle: [
    {
      handler: 'static_response',
      status_code: 404,
      headers: { 'Content-Type': ['text/plain; charset=utf-8'], 'X-Content-Type-Options': ['nosniff'] },
      body: '404 page not found\n',
    },
  ],
};

export function applyEntryPointsHttp(
  config: Config,
  entryPoints: EntryPoint[],
  resolvers: CertResolvers,
  problems: Problems,
  routerPriorities: ReadonlyMap<HttpServer, readonly number[]> = new Map(),
): void {
  for (const ep of entryPoints) {
    if (ep.udp) continue;
    problems.attempt(() =>
      applyOne(config, ep, resolvers.httpChallengeEntryPoints.has(ep.name), problems, routerPriorities),
    );
  }
}

function applyOne(
  config: Config,
  ep: EntryPoint,
  httpChallenge: boolean,
  problems: Problems,
  routerPriorities: ReadonlyMap<HttpServer, readonly number[]>,
): void {
  const servers = (config.apps?.http as { servers?: Record<string, HttpServer> } | undefined)?.servers ?? {};
  let server = Object.values(servers).find((s) => listensOn(s.listen, ep.address));
  const layer4 = Object.values((config.apps?.layer4 as { servers?: Record<string, Layer4Server> })?.servers ?? {}).find(
    (s) => listensOn(s.listen, ep.address),
  );
  const at = ep.field!;
  let created = false;
  if (!server && (ep.redirect || httpChallenge)) {
    if (layer4) {
      throw at.error(
        `the entry point "${ep.name}" has TCP routers, and HTTP ${ep.redirect ? 'redirections' : 'ACME challenges'}: both on one entry point are not supported yet`,
      );
    }
    const apps = (config.apps ??= {});
    const http = (apps.http ??= {}) as { servers?: Record<string, HttpServer> };
    const all = (http.servers ??= {});
    const name = all[ep.name] ? `${ep.name}-entrypoint` : ep.name;
    // A redirection takes every request; without one, what the challenge does not answer is Traefik's 404.
    server = all[name] = { listen: [ep.address], routes: ep.redirect ? [] : [structuredClone(NOT_FOUND)] };
    created = true;
  }
  if (!server) {
    if (layer4 && ep.timeouts)
      problems.warn(at, 'transport.respondingTimeouts apply to HTTP servers; this entry point has only TCP routers');
    return;
  }
  if (ep.redirect) {
    const routes = server.routes ?? [];
    // The routers' routes come first, highest priority first (then Traefik's 404): the redirection goes after
    // those above its priority. Equal priorities have no order in Traefik; the redirection comes first here.
    const priority = ep.redirect.priority;
    const above =
      priority === undefined || created ? 0 : (routerPriorities.get(server) ?? []).filter((p) => p > priority).length;
    server.routes = [...routes.slice(0, above), ...redirectRoutes(ep.redirect), ...routes.slice(above)];
  }
  if (ep.forwardedFrom) server.trusted_proxies = { source: 'static', ranges: ep.forwardedFrom };
  if (ep.timeouts) Object.assign(server, ep.timeouts);
  if (ep.proxyProtocolFrom) {
    const wrappers = server.listener_wrappers ?? [];
    // Before TLS, as Traefik wraps the entry point's listener; `tls` marks where TLS is when others are listed.
    server.listener_wrappers = [
      { wrapper: 'proxy_protocol', allow: ep.proxyProtocolFrom },
      ...(wrappers.some((w) => w.wrapper === 'tls') ? wrappers : [...wrappers, { wrapper: 'tls' }]),
    ];
  }
  inCaddyOrder(server);
}

/** Caddy's field order of a server (its struct's, as in @proxy/contract); unknown keys go last. */
const ORDER = [
  'listen',
  'listener_wrappers',
  'packet_conn_wrappers',
  'read_timeout',
  'read_header_timeout',
  'read_idle_timeout',
  'read_min_rate',
  'write_timeout',
  'write_idle_timeout',
  'write_min_rate',
  'max_write_chunk',
  'idle_timeout',
  'keepalive_interval',
  'keepalive_idle',
  'keepalive_count',
  'max_header_bytes',
  'enable_full_duplex',
  'expected_underscore_headers',
  'expected_dot_headers',
  'routes',
  'errors',
  'named_routes',
  'tls_connection_policies',
  'automatic_https',
  'strict_sni_host',
  'trusted_proxies',
  'client_ip_headers',
  'trusted_proxies_strict',
  'trusted_proxies_unix',
  'logs',
  'protocols',
  'listen_protocols',
  'metrics',
];

function inCaddyOrder(server: HttpServer): void {
  const rank = (k: string): number => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  const entries = Object.entries(server).sort((a, b) => rank(a[0]) - rank(b[0]));
  for (const [k] of entries) delete (server as Record<string, unknown>)[k];
  Object.assign(server, Object.fromEntries(entries));
}
