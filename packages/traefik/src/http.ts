/**
 * @module http: Traefik's HTTP routers (pkg/server/router, pkg/muxer/http) lowered to Caddy's http app, one server
 * per entry point. Each router is a terminal route (its rule as matcher sets, its middlewares' handlers, then its
 * service, a named route of the server), highest priority first; what no router takes gets Traefik's "404 page not found". An entry
 * point with TLS routers serves HTTPS with the routers' TLS options as connection policies (chosen by the Host
 * domains, as Traefik does) and Traefik's default certificate as the fallback. Caddy's automatic HTTPS is off:
 * Traefik neither redirects nor obtains certificates unless configured to.
 */
import type { ConnectionPolicy, HttpApp, HttpHandler, HttpServer, Route } from '@proxy/contract';
import { NO_RESOLVERS, routerCertificates, type CertRequest, type CertResolvers } from './acme.js';
import { withDefaultCert } from './default-cert.js';
import { middlewareName, readHttpMiddlewares } from './http-middlewares.js';
import { checkHttpRule, defaultHttpPriority, lowerHttpRule, type HttpRule } from './http-rule.js';
import { readHttpServices } from './http-services.js';
import { namedEntries, type Field } from './reader.js';
import type { EntryPoint } from './static.js';
import type { Problems } from './tcp.js';
import {
  checkRuleSyntax,
  readPriority,
  readRouterEntryPoints,
  readServiceName,
  readTlsOptionsName,
} from './router-fields.js';
import type { TlsSection } from './tls.js';

interface Router {
  name: string;
  field: Field;
  rule: HttpRule;
  priority: number;
  entryPoints: string[];
  /** The router names its entry points (else it took the default ones). */
  explicitEntryPoints: boolean;
  tls: { options: string | undefined } | undefined;
  /** The middlewares' handlers, in order. */
  handlers: HttpHandler[];
  service: string;
  /** `tls.certResolver`: the names to obtain for it. */
  certificates: CertRequest | undefined;
}

export interface HttpLowering {
  app: HttpApp;
  /** Some connection policy falls back to Traefik's default certificate, which the tls app must then issue. */
  usesDefaultCert: boolean;
  /** The priorities of each server's router routes, in order (an entry point's redirection goes among them). */
  priorities: Map<HttpServer, number[]>;
}

/** Traefik's answer when no router matches (Go's http.NotFound). */
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

/**
 * Lowers the `http` sections (one per dynamic file) to the http app (undefined when there is no HTTP router).
 * `tcpEntryPoints` are those the TCP routers took: sharing one with HTTP routers is not supported.
 */
export function lowerHttp(
  https: Field[],
  tls: TlsSection,
  allEntryPoints: EntryPoint[],
  tcpEntryPoints: ReadonlySet<string>,
  problems: Problems,
  acme: { resolvers: CertResolvers; requests: CertRequest[] } = { resolvers: NO_RESOLVERS, requests: [] },
): HttpLowering | undefined {
  // UDP entry points are for UDP routers only (udp.ts).
  const entryPoints = allEntryPoints.filter((e) => !e.udp);
  const sections = https.map((t) => t.object(['routers', 'services', 'middlewares', 'serversTransports'], 'http'));
  const attempt = <T>(f: () => T): T | undefined => problems.attempt(f);
  const middlewares = readHttpMiddlewares(
    sections.map((k) => k['middlewares']),
    attempt,
  );
  const services = readHttpServices(
    sections.map((k) => k['serversTransports']),
    sections.map((k) => k['services']),
    attempt,
  );
  const defaults = entryPoints.some((e) => e.asDefault) ? entryPoints.filter((e) => e.asDefault) : entryPoints;
  const routers: Router[] = [];
  for (const r of attempt(() =>
    namedEntries(
      sections.map((k) => k['routers']),
      'the HTTP router',
    ),
  ) ?? []) {
    const router = attempt(() =>
      readRouter(r, entryPoints, defaults, tls, middlewares, services, acme.resolvers, allEntryPoints),
    );
    if (!router) continue;
    if (router.tls?.options && router.tls.options !== 'default' && router.rule.domains.length === 0) {
      problems.warn(
        r,
        `no Host domain in the rule: the TLS options "${router.tls.options}" are not applied (default ones are)`,
      );
    }
    routers.push(router);
    if (router.certificates) acme.requests.push(router.certificates);
  }
  if (routers.length === 0) return undefined;
  const servers: Record<string, HttpServer> = {};
  const priorities = new Map<HttpServer, number[]>();
  let usesDefaultCert = false;
  for (const ep of entryPoints) {
    let mine = routers.filter((r) => r.entryPoints.includes(ep.name));
    if (mine.length === 0) continue;
    if (tcpEntryPoints.has(ep.name)) {
      attempt(() => {
        throw mine[0]!.field.error(
          `the entry point "${ep.name}" also has TCP routers: TCP and HTTP routers on one entry point are not supported by this adapter`,
        );
      });
      continue;
    }
    mine = splitTls(mine, ep, problems, plainReason(ep, acme.resolvers));
    if (mine.length === 0) continue;
    mine.sort(byPriority);
    const server: HttpServer = { listen: [ep.address], routes: [...mine.map(routeOf), structuredClone(NOT_FOUND)] };
    // A service is one named route per server, so its proxy (health checks, round robin) is shared by its routers.
    const named: Record<string, Route> = {};
    for (const r of mine) named[r.service] ??= { handle: structuredClone(services.resolve(r.service)!.handlers) };
    server.named_routes = named;
    if (mine[0]!.tls) {
      server.tls_connection_policies = policiesFor(mine, tls);
      if (server.tls_connection_policies.some((p) => p.fallback_sni !== undefined)) usesDefaultCert = true;
    }
    server.automatic_https = { disable: true };
    servers[ep.name] = server;
    priorities.set(
      server,
      mine.map((r) => r.priority),
    );
  }
  if (Object.keys(servers).length === 0) return undefined;
  return { app: { servers }, usesDefaultCert, priorities };
}

/**
 * A Caddy server is HTTP or HTTPS: when an entry point has both TLS and plain routers, those that only came by
 * default (no `entryPoints`) are left out there; if both kinds were put there explicitly, it is an error.
 */
function splitTls(routers: Router[], ep: EntryPoint, problems: Problems, plainFor: string | undefined): Router[] {
  const tlsOnes = routers.filter((r) => r.tls);
  const plain = routers.filter((r) => !r.tls);
  if (plainFor && tlsOnes.length > 0) {
    // Traefik answers both on one port; here the entry point's server must stay plain HTTP.
    const explicit = tlsOnes.find((r) => r.explicitEntryPoints);
    if (explicit) {
      problems.attempt(() => {
        throw explicit.field.error(
          `the entry point "${ep.name}" serves plain HTTP (${plainFor}): TLS routers on it are not supported by this adapter (one entry point is either HTTP or HTTPS here)`,
        );
      });
      return [];
    }
    for (const r of tlsOnes) {
      problems.warn(
        r.field,
        `not served on the entry point "${ep.name}", which serves plain HTTP (${plainFor}): one entry point is either HTTP or HTTPS here (name its entryPoints)`,
      );
    }
    return plain;
  }
  if (tlsOnes.length === 0 || plain.length === 0) return routers;
  const explicitTls = tlsOnes.some((r) => r.explicitEntryPoints);
  const explicitPlain = plain.some((r) => r.explicitEntryPoints);
  if (explicitTls !== explicitPlain) {
    const [keep, drop] = explicitTls ? [tlsOnes, plain] : [plain, tlsOnes];
    for (const r of drop) {
      problems.warn(
        r.field,
        `not served on the entry point "${ep.name}", which has ${explicitTls ? 'TLS' : 'non-TLS'} routers: one entry point is either HTTP or HTTPS here (name its entryPoints)`,
      );
    }
    return keep;
  }
  const first = tlsOnes[0]!;
  const other = plain[0]!;
  problems.attempt(() => {
    throw first.field.error(
      `the entry point "${ep.name}" has TLS routers (${first.name}) and non-TLS routers (${other.name}): serving both on one entry point is not supported by this adapter (give them separate entryPoints)`,
    );
  });
  return [];
}

/** Why an entry point's server must be plain HTTP whatever its routers are, if it must. */
function plainReason(ep: EntryPoint, resolvers: CertResolvers): string | undefined {
  if (ep.redirect) return 'its http.redirections';
  if (resolvers.httpChallengeEntryPoints.has(ep.name)) return 'ACME http-01 challenges';
  return undefined;
}

function readRouter(
  r: Field,
  all: EntryPoint[],
  defaults: EntryPoint[],
  tlsSection: TlsSection,
  middlewares: ReturnType<typeof readHttpMiddlewares>,
  services: ReturnType<typeof readHttpServices>,
  resolvers: CertResolvers,
  everyEntryPoint: EntryPoint[],
): Router | undefined {
  const k = r.object(
    ['entryPoints', 'rule', 'ruleSyntax', 'priority', 'service', 'middlewares', 'tls', 'observability'],
    'an HTTP router',
  );
  if (k['observability']?.present) throw k['observability'].error('observability is not supported by this adapter');
  checkRuleSyntax(k);
  let tls: Router['tls'];
  let tlsKeys: Record<string, Field> | undefined;
  if (k['tls']) {
    const t = k['tls'].object(['options', 'certResolver', 'domains'], "an HTTP router's tls");
    tlsKeys = t;
    const optionName = readTlsOptionsName(t, tlsSection);
    tls = { options: optionName };
  }
  if (!k['rule']) throw r.error('an HTTP router needs a rule');
  const rule = checkHttpRule(k['rule']);
  // As Traefik: tls.domains, else the rule's Host names.
  const certificates = tlsKeys
    ? routerCertificates(tlsKeys['certResolver'], tlsKeys['domains'], rule.domains, resolvers)
    : undefined;
  const given = readPriority(k);
  const { name: serviceName, field: serviceField } = readServiceName(k, r, 'an HTTP router');
  if (!services.declared.has(serviceName)) throw serviceField.error(`the HTTP service "${serviceName}" does not exist`);
  const eps = readRouterEntryPoints(
    k,
    r,
    { all, defaults, every: everyEntryPoint },
    'HTTP routers',
    'no TCP entry point for this HTTP router (every entry point is a UDP one)',
  );
  const handlers: HttpHandler[] = [];
  let broken = false;
  for (const f of k['middlewares']?.items() ?? []) {
    const name = middlewareName(f);
    if (!middlewares.has(name)) throw f.error(`the HTTP middleware "${name}" does not exist`);
    const h = middlewares.resolve(name);
    // undefined: its definition has an error, reported there
    if (h) handlers.push(...structuredClone(h));
    else broken = true;
  }
  if (!services.resolve(serviceName) || broken) return undefined; // reported at the service or middleware
  return {
    name: r.name,
    field: r,
    rule,
    priority: given === 0 ? defaultHttpPriority(rule) : given,
    entryPoints: eps,
    explicitEntryPoints: k['entryPoints'] !== undefined,
    tls,
    handlers,
    service: serviceName,
    certificates,
  };
}

function byPriority(a: Router, b: Router): number {
  // Traefik sorts by priority only; names make ties reproducible here.
  return b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function routeOf(r: Router): Route {
  return {
    match: lowerHttpRule(r.rule),
    handle: [...r.handlers, { handler: 'invoke', name: r.service }],
    terminal: true,
  };
}

/**
 * The server's connection policies: one per TLS options name other than `default`, for the Host domains of the
 * routers using it, then the default options for everything else. Each falls back to the default certificate
 * unless its options are sniStrict.
 */
function policiesFor(routers: Router[], tls: TlsSection): ConnectionPolicy[] {
  const byOptions = new Map<string, string[]>();
  for (const r of routers) {
    const name = r.tls?.options;
    if (!name || name === 'default' || r.rule.domains.length === 0) continue;
    const list = byOptions.get(name) ?? [];
    for (const d of r.rule.domains) if (!list.includes(d)) list.push(d);
    byOptions.set(name, list);
  }
  const policy = (name: string): ConnectionPolicy => {
    // The TLS options were read as caddy-l4 policies, whose fields are those of the tls app's.
    const p = structuredClone(tls.options.get(name) ?? {});
    return (tls.sniStrict.has(name) ? p : withDefaultCert(p, tls.defaultName)) as ConnectionPolicy;
  };
  const out: ConnectionPolicy[] = [];
  for (const [name, sni] of [...byOptions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    out.push({ match: { sni }, ...policy(name) });
  out.push(policy('default'));
  return out;
}
