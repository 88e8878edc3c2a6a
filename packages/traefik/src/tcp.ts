/**
 * @module tcp: Traefik's TCP routers and services lowered to caddy-l4 servers, one per entry point
 * (Traefik's pkg/server/router/tcp: router.go, manager.go, postgres.go; pkg/muxer/tcp/mux.go).
 *
 * Per entry point, in order:
 * 1. when it has TLS routers, a PostgreSQL SSLRequest is answered 'S' (`postgres_tls`) and matching goes on with
 *    the ClientHello that follows, which only TLS routes match: Traefik's Postgres STARTTLS path;
 * 2. TLS routers, highest priority first: their rule plus "is a ClientHello"; terminated by `tls` with the
 *    router's TLS options, or passed through as they are;
 * 3. non-TLS routers (`HostSNI(\`*\`)`, maybe with ClientIP), highest priority first: when TLS routers share the
 *    entry point they take only what is not TLS; alone, they take every connection without reading from it
 *    (Traefik's fast path, which lets the server speak first).
 */
import type {
  Layer4App,
  Layer4Handler,
  Layer4MatcherSet,
  Layer4ProxyHandler,
  Layer4Route,
  Layer4Server,
  Layer4TlsConnectionPolicy,
} from '@proxy/contract';
import { NO_RESOLVERS, routerCertificates, type CertRequest, type CertResolvers } from './acme.js';
import { withDefaultCert } from './default-cert.js';
import { TraefikConfigError, type TraefikDiagnostic } from './diagnostics.js';
import { namedEntries, type Field } from './reader.js';
import type { EntryPoint } from './static.js';
import { readTcpMiddleware } from './tcp-middlewares.js';
import { readTcpServices } from './tcp-services.js';
import { checkTcpRule, defaultPriority, lowerTcpRule, type TcpRule } from './tcp-rule.js';
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
  rule: TcpRule;
  priority: number;
  entryPoints: string[];
  tls: { passthrough: boolean; options: string | undefined } | undefined;
  /** Handlers of the router's middlewares, in order, before the service. */
  middlewares: Layer4Handler[];
  service: string;
  serviceField: Field;
  /** `tls.certResolver`: the names to obtain for it. */
  certificates: CertRequest | undefined;
}

/** Collects each router's or service's error and goes on with the others. */
export class Problems {
  readonly errors: TraefikDiagnostic[] = [];
  readonly warnings: TraefikDiagnostic[] = [];
  attempt<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof TraefikConfigError) {
        this.errors.push(e.diagnostic);
        return undefined;
      }
      throw e;
    }
  }
  warn(field: Field, message: string): void {
    const at = field.source.locate(field.path);
    this.warnings.push({ file: field.source.file, ...at, path: field.dotted, message });
  }
}

/** Lowers the `tcp` sections (one per dynamic file) to the layer4 app (undefined when there is no TCP router). */
export function lowerTcp(
  tcps: Field[],
  tls: TlsSection,
  allEntryPoints: EntryPoint[],
  problems: Problems,
  acme: { resolvers: CertResolvers; requests: CertRequest[] } = { resolvers: NO_RESOLVERS, requests: [] },
): Layer4App | undefined {
  // UDP entry points are for UDP routers only (udp.ts).
  const entryPoints = allEntryPoints.filter((e) => !e.udp);
  const sections = tcps.map((t) => t.object(['routers', 'services', 'middlewares', 'serversTransports'], 'tcp'));
  const middlewares = new Map<string, Layer4Handler[] | undefined>();
  for (const m of problems.attempt(() =>
    namedEntries(
      sections.map((k) => k['middlewares']),
      'the TCP middleware',
    ),
  ) ?? [])
    middlewares.set(
      m.name,
      problems.attempt(() => readTcpMiddleware(m)),
    );
  const services = readTcpServices(
    sections.map((k) => k['serversTransports']),
    sections.map((k) => k['services']),
    (f) => problems.attempt(f),
  );
  const defaults = entryPoints.some((e) => e.asDefault) ? entryPoints.filter((e) => e.asDefault) : entryPoints;
  const routers: Router[] = [];
  const handlers = new Map<string, Layer4ProxyHandler>();
  for (const r of problems.attempt(() =>
    namedEntries(
      sections.map((k) => k['routers']),
      'the TCP router',
    ),
  ) ?? []) {
    const router = problems.attempt(() =>
      readRouter(r, entryPoints, defaults, tls, middlewares, acme.resolvers, allEntryPoints),
    );
    if (!router) continue;
    if (router.tls?.options && router.tls.options !== 'default' && router.rule.domains.length === 0) {
      // Traefik logs the same: options are chosen by the SNI a HostSNI rule names.
      problems.warn(
        r,
        `no HostSNI domain in the rule: the TLS options "${router.tls.options}" are not applied (default ones are)`,
      );
    }
    if (!services.declared.has(router.service)) {
      problems.attempt(() => {
        throw router.serviceField.error(`the TCP service "${router.service}" does not exist`);
      });
      continue;
    }
    const handler = services.resolve(router.service);
    if (!handler) continue; // its error is reported at the service
    handlers.set(router.service, handler);
    routers.push(router);
    if (router.certificates) acme.requests.push(router.certificates);
    if (router.certificates && router.tls?.passthrough)
      problems.warn(
        router.certificates.field,
        'a passthrough router does not terminate TLS: the certificate is obtained but never served',
      );
  }
  if (routers.length === 0) return undefined;
  // Traefik answers ACME tls-alpn-01 on its TLS entry points before any router sees the connection.
  const acmeTlsAlpn = routers.some((r) => {
    const resolver = r.certificates && acme.resolvers.byName.get(r.certificates.resolver);
    return resolver !== undefined && !resolver.issuer.challenges?.['tls-alpn']?.disabled;
  });
  const servers: Record<string, Layer4Server> = {};
  for (const ep of entryPoints) {
    const mine = routers.filter((r) => r.entryPoints.includes(ep.name));
    if (mine.length === 0) continue;
    const routes = routesFor(mine, handlers, tls, acmeTlsAlpn);
    if (ep.proxyProtocolFrom) {
      // Before anything reads the connection: Traefik's entry point wraps its listener. Other sources' headers are
      // read and ignored (go-proxyproto's IGNORE policy), as are missing ones.
      routes.unshift({ handle: [{ handler: 'proxy_protocol', allow: ep.proxyProtocolFrom }] });
    }
    servers[ep.name] = { listen: [ep.address], routes };
  }
  return { servers };
}

function readRouter(
  r: Field,
  all: EntryPoint[],
  defaults: EntryPoint[],
  tlsSection: TlsSection,
  middlewares: Map<string, Layer4Handler[] | undefined>,
  resolvers: CertResolvers,
  everyEntryPoint: EntryPoint[],
): Router {
  const k = r.object(
    ['entryPoints', 'rule', 'ruleSyntax', 'priority', 'service', 'middlewares', 'tls'],
    'a TCP router',
  );
  checkRuleSyntax(k);
  const chain = (k['middlewares']?.items() ?? []).flatMap((f) => {
    const name = (f.string() ?? '').replace(/@file$/, '');
    if (name.includes('@')) throw f.error('only middlewares of the file provider (@file) can be referred to');
    if (!middlewares.has(name)) throw f.error(`the TCP middleware "${name}" does not exist`);
    // undefined: its definition has an error, reported there
    return middlewares.get(name) ?? [];
  });
  let tls: Router['tls'];
  let tlsKeys: Record<string, Field> | undefined;
  if (k['tls']) {
    const t = k['tls'].object(['passthrough', 'options', 'certResolver', 'domains'], "a TCP router's tls");
    tlsKeys = t;
    const optionName = readTlsOptionsName(t, tlsSection);
    tls = { passthrough: t['passthrough']?.bool() ?? false, options: optionName };
  }
  if (!k['rule']) throw r.error('a TCP router needs a rule');
  const rule = checkTcpRule(k['rule'], tls !== undefined);
  const certificates = tlsKeys
    ? routerCertificates(tlsKeys['certResolver'], tlsKeys['domains'], rule.domains, resolvers)
    : undefined;
  const given = readPriority(k);
  const { name: serviceName, field: serviceField } = readServiceName(k, r, 'a TCP router');
  const eps = readRouterEntryPoints(
    k,
    r,
    { all, defaults, every: everyEntryPoint },
    'TCP routers',
    'no TCP entry point for this router (every entry point is a UDP one)',
  );
  return {
    name: r.name,
    field: r,
    rule,
    priority: given === 0 ? defaultPriority(rule) : given,
    entryPoints: eps,
    tls,
    middlewares: chain,
    service: serviceName,
    serviceField,
    certificates,
  };
}

function byPriority(a: Router, b: Router): number {
  // Traefik sorts by priority only and its routers come from a map; names make ties reproducible here.
  return b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function routesFor(
  routers: Router[],
  services: Map<string, Layer4ProxyHandler>,
  tls: TlsSection,
  acmeTlsAlpn: boolean,
): Layer4Route[] {
  const tlsRouters = routers.filter((r) => r.tls).sort(byPriority);
  const plain = routers.filter((r) => !r.tls).sort(byPriority);
  const routes: Layer4Route[] = [];
  if (tlsRouters.length > 0)
    routes.push({ match: [{ postgres: { tls: 'enabled' } }], handle: [{ handler: 'postgres_tls' }] });
  // The tls handler answers a tls-alpn-01 validation (ALPN acme-tls/1) for a name being obtained, whatever the
  // routers' rules say (one with ALPN(`h2`) would not match the CA's ClientHello).
  if (tlsRouters.length > 0 && acmeTlsAlpn)
    routes.push({ match: [{ tls: { alpn: ['acme-tls/1'] } }], handle: [{ handler: 'tls' }] });
  for (const r of tlsRouters) {
    const handle: Layer4Handler[] = [];
    if (!r.tls!.passthrough) handle.push({ handler: 'tls', connection_policies: [policyFor(r, tls)] });
    handle.push(...structuredClone(r.middlewares), structuredClone(services.get(r.service)!));
    routes.push({ match: lowerTcpRule(r.rule, true), handle });
  }
  for (const r of plain) {
    let match: Layer4MatcherSet[] | undefined = lowerTcpRule(r.rule, false);
    if (tlsRouters.length > 0) match = match.map((s) => mergeNotTls(s));
    else if (match.every((s) => Object.keys(s).length === 0)) match = undefined;
    const handle = [...structuredClone(r.middlewares), structuredClone(services.get(r.service)!)];
    routes.push({ ...(match ? { match } : {}), handle });
  }
  return routes;
}

function mergeNotTls(s: Layer4MatcherSet): Layer4MatcherSet {
  return { ...s, not: [...(s.not ?? []), { tls: {} }] };
}

/** Traefik applies a router's TLS options to its HostSNI domains; without one, the default options apply. */
function policyFor(r: Router, tls: TlsSection): Layer4TlsConnectionPolicy {
  const name = r.rule.domains.length > 0 ? (r.tls!.options ?? 'default') : 'default';
  const policy = structuredClone(tls.options.get(name) ?? {});
  // sniStrict: Traefik refuses names no certificate matches (and clients without SNI) instead of its default one.
  return tls.sniStrict.has(name) ? policy : withDefaultCert(policy, tls.defaultName);
}
