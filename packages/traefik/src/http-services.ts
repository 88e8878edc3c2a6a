/**
 * @module http-services: Traefik's HTTP services and servers transports (pkg/server/service, pkg/healthcheck) as
 * Caddy `reverse_proxy` handlers. A `loadBalancer` is a (weighted) round robin over its servers' URLs, as Traefik's
 * wrr; `sticky.cookie` is Caddy's cookie selection, with the cookie's attributes rewritten to Traefik's;
 * `healthCheck` is an active health check; `passHostHeader: false` sends the server's host. A `weighted` service is
 * flattened into one weighted round robin over its children's servers (as the TCP side does); mirroring and
 * failover services are refused by name.
 */
import { createHash } from 'node:crypto';
import type {
  ActiveHealthChecks,
  HeadersHandler,
  HttpHandler,
  HttpTransport,
  ReverseProxyHandler,
  Upstream,
} from '@proxy/contract';
import { goParseDuration } from '@proxy/contract';
import { literal, quoteMeta } from './http-rule.js';
import type { Field } from './reader.js';
import {
  type Attempt,
  type Fraction,
  flattenWeighted,
  integerWeights,
  readServices,
  readWeightedRefs,
  reduced,
  type Services,
  type WeightedDef,
  type WeightedRef,
} from './service-reader.js';
import { isPem, readClientCertificate } from './transport-tls.js';

/** What a router's route runs for its service: handlers before the proxy (cookie attributes), then the proxy. */
export interface HttpService {
  handlers: HttpHandler[];
}

type TransportTls = NonNullable<HttpTransport['tls']>;

/** `http.serversTransports.<name>`, as the parts of Caddy's HTTP transport it sets. */
interface ServersTransport {
  tls: TransportTls;
  rest: Omit<HttpTransport, 'protocol' | 'tls'>;
}

/**
 * A Traefik duration: an integer is seconds (ptypes.Duration), a string Go's time.ParseDuration (or seconds when
 * it is only digits). Returned as a Caddy duration string.
 */
export function traefikDuration(f: Field): string | undefined {
  const v = f.value;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return `${v}s`;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v.trim())) return `${Number(v)}s`;
    const d = goParseDuration(v);
    if (typeof d === 'bigint') {
      if (d < 0n) throw f.error('a duration cannot be negative');
      return v;
    }
  }
  throw f.error(`invalid duration ${JSON.stringify(v)} (e.g. "10s", "1m30s", or seconds as an integer)`);
}

function readTransport(t: Field): ServersTransport {
  const k = t.object(
    [
      'serverName',
      'insecureSkipVerify',
      'rootCAs',
      'certificates',
      'maxIdleConnsPerHost',
      'forwardingTimeouts',
      'disableHTTP2',
      'peerCertURI',
      'spiffe',
    ],
    'an HTTP servers transport',
  );
  for (const key of ['peerCertURI', 'spiffe'] as const)
    if (k[key]?.present) throw k[key].error(`${key} is not supported by this adapter`);
  const tls: TransportTls = {};
  const rest: ServersTransport['rest'] = {};
  const serverName = k['serverName']?.string();
  if (serverName) tls.server_name = serverName;
  if (k['insecureSkipVerify']?.bool()) tls.insecure_skip_verify = true;
  const files: string[] = [];
  for (const ca of k['rootCAs']?.items() ?? []) {
    const v = ca.string() ?? '';
    if (isPem(v)) throw ca.error('inline root CAs are not supported for HTTP servers yet: use files');
    files.push(v);
  }
  if (files.length) tls.root_ca_pem_files = files;
  const client = readClientCertificate(k['certificates']);
  if (client) {
    tls.client_certificate_file = client.cert;
    tls.client_certificate_key_file = client.key;
  }
  const idle = k['maxIdleConnsPerHost']?.int();
  if (idle !== undefined) {
    if (idle < 0) throw k['maxIdleConnsPerHost']!.error('cannot be negative');
    // Traefik: 0 means Go's default (2); Caddy's default is larger, so only a set value is carried over.
    if (idle > 0) rest.keep_alive = { max_idle_conns_per_host: idle };
  }
  if (k['forwardingTimeouts']) {
    const ft = k['forwardingTimeouts'].object(
      ['dialTimeout', 'responseHeaderTimeout', 'idleConnTimeout', 'readIdleTimeout', 'pingTimeout'],
      'forwardingTimeouts',
    );
    for (const key of ['readIdleTimeout', 'pingTimeout'] as const)
      if (ft[key]?.present) throw ft[key].error(`${key} (HTTP/2 health pings) is not supported by this adapter`);
    const dial = ft['dialTimeout'] && traefikDuration(ft['dialTimeout']);
    if (dial) rest.dial_timeout = dial;
    const header = ft['responseHeaderTimeout'] && traefikDuration(ft['responseHeaderTimeout']);
    if (header && header !== '0s') rest.response_header_timeout = header;
    const idleTimeout = ft['idleConnTimeout'] && traefikDuration(ft['idleConnTimeout']);
    if (idleTimeout) rest.keep_alive = { ...rest.keep_alive, idle_timeout: idleTimeout };
  }
  if (k['disableHTTP2']?.bool()) rest.versions = ['1.1'];
  return { tls, rest };
}

interface ServerUrl {
  scheme: 'http' | 'https';
  dial: string;
  /** The URL's host as written (with its port only when the URL has one): what passHostHeader false sends. */
  hostHasPort: boolean;
  weight: number;
}

function readServer(f: Field): ServerUrl {
  const k = f.object(['url', 'weight', 'preservePath'], 'a server');
  if (k['preservePath']?.present) throw k['preservePath'].error('preservePath is not supported by this adapter');
  const raw = k['url']?.string();
  if (!raw) throw (k['url'] ?? f).error('a server needs a url (http://host:port)');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw k['url']!.error(`invalid URL ${JSON.stringify(raw)}`);
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme === 'h2c') throw k['url']!.error('h2c servers are not supported by this adapter');
  if (scheme !== 'http' && scheme !== 'https')
    throw k['url']!.error(`unsupported scheme ${JSON.stringify(scheme)} (http or https)`);
  if (u.pathname !== '/' || u.search || u.hash || u.username || u.password)
    throw k['url']!.error('only scheme://host[:port] is supported in a server URL (no path, query or user)');
  if (!u.hostname) throw k['url']!.error(`no host in ${JSON.stringify(raw)}`);
  const port = u.port || (scheme === 'https' ? '443' : '80');
  const weight = k['weight']?.int() ?? 1;
  if (weight < 0) throw k['weight']!.error('a weight cannot be negative');
  return { scheme, dial: `${u.hostname}:${port}`, hostHasPort: u.port !== '', weight };
}

/** `healthCheck`, as Caddy's active health check. */
function readHealthCheck(f: Field, scheme: string): ActiveHealthChecks {
  const k = f.object(
    [
      'scheme',
      'mode',
      'path',
      'method',
      'status',
      'port',
      'interval',
      'unhealthyInterval',
      'timeout',
      'hostname',
      'followRedirects',
      'headers',
    ],
    'healthCheck',
  );
  const mode = k['mode']?.string();
  if (mode !== undefined && mode !== 'http')
    throw k['mode']!.error(`health check mode ${JSON.stringify(mode)} is not supported (http is)`);
  const s = k['scheme']?.string();
  if (s && s !== scheme)
    throw k['scheme']!.error(`health checks use the servers' scheme (${scheme}) here; another scheme is not supported`);
  if (k['unhealthyInterval']?.present)
    throw k['unhealthyInterval'].error('unhealthyInterval is not supported by this adapter (one interval)');
  const hc: ActiveHealthChecks = {};
  const path = k['path']?.string();
  if (path) {
    if (!path.startsWith('/')) throw k['path']!.error('the health check path must start with "/"');
    hc.uri = path;
  }
  const method = k['method']?.string();
  if (method) hc.method = method.toUpperCase();
  const port = k['port']?.int();
  if (port) {
    if (port < 1 || port > 65535) throw k['port']!.error('not a port number');
    hc.port = port;
  }
  const headers: Record<string, string[]> = {};
  const hostname = k['hostname']?.string();
  if (hostname) headers['Host'] = [hostname];
  for (const h of k['headers']?.entries() ?? []) headers[h.name] = [h.string() ?? ''];
  if (Object.keys(headers).length) hc.headers = headers;
  const interval = k['interval'] && traefikDuration(k['interval']);
  if (interval) hc.interval = interval;
  const timeout = k['timeout'] && traefikDuration(k['timeout']);
  if (timeout) hc.timeout = timeout;
  const status = k['status']?.int();
  if (status) {
    if (status < 100 || status > 999) throw k['status']!.error('not an HTTP status code');
    hc.expect_status = status;
  }
  // Traefik follows redirects by default; Caddy's probes take a 3xx as unhealthy (README: differences).
  k['followRedirects']?.bool();
  return hc;
}

/** Traefik's cookie name for a service without one: "_" and 6 hex digits of SHA-1 (pkg/server/cookie). */
export function defaultCookieName(service: string): string {
  return `_${createHash('sha1').update(`_TRAEFIK_BACKEND_${service}`).digest('hex')}`.slice(0, 7);
}

/** Go's http.Cookie keeps names of token characters only; Traefik replaces the others. */
function sanitizeCookieName(name: string): string {
  return name.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_');
}

const SAME_SITE: Record<string, string | undefined> = { none: 'None', lax: 'Lax', strict: 'Strict', '': undefined };

/** `sticky.cookie`: the cookie selection policy and a handler giving the cookie Traefik's attributes. */
function readSticky(
  f: Field,
  service: string,
): {
  policy: NonNullable<NonNullable<ReverseProxyHandler['load_balancing']>['selection_policy']>;
  attrs: HeadersHandler;
} {
  const k = f.object(['cookie'], 'sticky');
  if (!k['cookie']) throw f.error('sticky needs a cookie');
  const c = k['cookie'].object(['name', 'secure', 'httpOnly', 'sameSite', 'maxAge', 'path', 'domain'], 'sticky.cookie');
  const given = c['name']?.string();
  const name = given ? sanitizeCookieName(given) : defaultCookieName(`${service}@file`);
  const sameSiteRaw = c['sameSite']?.string() ?? '';
  if (!(sameSiteRaw.toLowerCase() in SAME_SITE))
    throw c['sameSite']!.error(`sameSite is none, lax or strict (got ${JSON.stringify(sameSiteRaw)})`);
  const sameSite = SAME_SITE[sameSiteRaw.toLowerCase()];
  const maxAge = c['maxAge']?.int() ?? 0;
  const path = c['path']?.string() || '/';
  const domain = c['domain']?.string();
  // Go's http.Cookie.String() order: Path, Domain, Max-Age, HttpOnly, Secure, SameSite.
  let attrs = `; Path=${path}`;
  if (domain) attrs += `; Domain=${domain.replace(/^\./, '')}`;
  if (maxAge > 0) attrs += `; Max-Age=${maxAge}`;
  else if (maxAge < 0) attrs += '; Max-Age=0';
  if (c['httpOnly']?.bool()) attrs += '; HttpOnly';
  if (c['secure']?.bool()) attrs += '; Secure';
  if (sameSite) attrs += `; SameSite=${sameSite}`;
  return {
    policy: { policy: 'cookie', name, fallback: { policy: 'round_robin' } },
    attrs: {
      handler: 'headers',
      response: {
        replace: {
          'Set-Cookie': [{ search_regexp: `^(${quoteMeta(name)}=[^;]*).*$`, replace: `$1${literal(attrs)}` }],
        },
        deferred: true,
      },
    },
  };
}

function readLoadBalancer(
  lbField: Field,
  service: string,
  transports: Map<string, ServersTransport | undefined>,
): Extract<ServiceDef, { kind: 'lb' }> | undefined {
  const lb = lbField.object(
    ['servers', 'passHostHeader', 'healthCheck', 'sticky', 'serversTransport', 'responseForwarding', 'strategy'],
    'loadBalancer',
  );
  const strategy = lb['strategy']?.string();
  if (strategy !== undefined && strategy.toLowerCase() !== 'wrr')
    throw lb['strategy']!.error(`the ${JSON.stringify(strategy)} strategy is not supported (wrr is)`);
  const serverFields = lb['servers']?.items() ?? [];
  if (serverFields.length === 0) throw (lb['servers'] ?? lbField).error('a load balancer needs at least one server');
  const servers = serverFields.map(readServer);
  const scheme = servers[0]!.scheme;
  const mixed = servers.findIndex((s) => s.scheme !== scheme);
  if (mixed !== -1)
    throw serverFields[mixed]!.error('the servers of one service must all be http or all https (one transport)');
  let transport: ServersTransport | undefined;
  const tf = lb['serversTransport'];
  const tname = tf?.string()?.replace(/@file$/, '');
  if (tf && tname) {
    if (tname.includes('@')) throw tf.error('only servers transports of the file provider (@file) can be referred to');
    if (!transports.has(tname)) throw tf.error(`the HTTP servers transport "${tname}" does not exist`);
    transport = transports.get(tname);
    if (!transport) return undefined; // its error is reported at the transport
  }
  const live = servers.filter((s) => s.weight > 0);
  if (live.length === 0) throw lb['servers']!.error('no server with a weight above 0');
  const h: ReverseProxyHandler = { handler: 'reverse_proxy' };
  const handlers: HttpHandler[] = [];
  if (lb['sticky']) {
    const sticky = readSticky(lb['sticky'], service);
    h.load_balancing = { selection_policy: sticky.policy };
    handlers.push(sticky.attrs);
  } else if (live.length > 1) {
    h.load_balancing = {
      selection_policy: live.some((s) => s.weight !== 1)
        ? { policy: 'weighted_round_robin', weights: live.map((s) => s.weight) }
        : { policy: 'round_robin' },
    };
  }
  if (lb['healthCheck']) h.health_checks = { active: readHealthCheck(lb['healthCheck'], scheme) };
  // Beside Caddy's X-Forwarded-For/-Proto/-Host, Traefik's forwarded headers name its host and the client.
  const set: Record<string, string[]> = {
    'X-Forwarded-Server': ['{system.hostname}'],
    'X-Real-Ip': ['{http.vars.client_ip}'],
  };
  if (lb['passHostHeader']?.bool() === false) {
    // Traefik sends the server URL's host, with the port only when the URL gives one.
    set['Host'] = [
      live.every((s) => !s.hostHasPort)
        ? '{http.reverse_proxy.upstream.host}'
        : '{http.reverse_proxy.upstream.hostport}',
    ];
  }
  h.headers = { request: { set } };
  if (lb['responseForwarding']) {
    const rf = lb['responseForwarding'].object(['flushInterval'], 'responseForwarding');
    const fi = rf['flushInterval'];
    if (fi?.present) {
      const v = fi.value;
      // Traefik: a negative interval flushes after every write, as Caddy's -1.
      h.flush_interval = typeof v === 'number' && v < 0 ? -1 : traefikDuration(fi)!;
    }
  }
  const t: HttpTransport | undefined =
    scheme === 'https' || transport
      ? {
          protocol: 'http',
          ...(transport?.rest ?? {}),
          ...(scheme === 'https' ? { tls: structuredClone(transport?.tls ?? {}) } : {}),
        }
      : undefined;
  if (t && Object.keys(t).length > 1) h.transport = t;
  h.upstreams = live.map((s): Upstream => ({ dial: s.dial }));
  handlers.push(h);
  return { kind: 'lb', service: { handlers }, proxy: h, weights: live.map((s) => s.weight), sticky: !!lb['sticky'] };
}

type ServiceDef =
  | {
      kind: 'lb';
      service: HttpService;
      /** The proxy handler and its servers' weights, for weighted services. */
      proxy: ReverseProxyHandler;
      weights: number[];
      sticky: boolean;
    }
  | WeightedDef;

function readService(s: Field, transports: Map<string, ServersTransport | undefined>): ServiceDef | undefined {
  const k = s.object(['loadBalancer', 'weighted', 'mirroring', 'failover'], 'an HTTP service');
  for (const kind of ['mirroring', 'failover'] as const)
    if (k[kind]) throw k[kind].error(`${kind} services are not supported by this adapter (loadBalancer, weighted are)`);
  if (k['loadBalancer'] && k['weighted']) throw s.error('an HTTP service is a loadBalancer or weighted, not both');
  if (k['weighted']) {
    const w = k['weighted'].object(['services', 'sticky', 'healthCheck'], 'weighted');
    if (w['sticky']) throw w['sticky'].error('sticky weighted services are not supported by this adapter');
    // `healthCheck: {}` lets the children's health decide: one proxy for all of them does that anyway.
    w['healthCheck']?.object([], 'weighted.healthCheck');
    return { kind: 'weighted', refs: readWeightedRefs(w['services'], k['weighted'], true) };
  }
  if (!k['loadBalancer']) throw s.error('an HTTP service needs a loadBalancer or weighted');
  return readLoadBalancer(k['loadBalancer'], s.name, transports);
}

/** One server of a weighted service with its share as a fraction, and the proxy it comes from. */
interface Share extends Fraction {
  dial: string;
  proxy: ReverseProxyHandler;
  at: Field;
}

/** A load balancer child's servers with their shares of the child's `weight / total`. */
function lbShares(child: Extract<ServiceDef, { kind: 'lb' }>, r: WeightedRef, total: number): Share[] {
  if (child.sticky) throw r.field.error('a sticky service inside a weighted service is not supported by this adapter');
  const sum = child.weights.reduce((a, b) => a + b, 0);
  return child.proxy.upstreams!.map((u, i) => ({
    dial: u.dial!,
    num: r.weight * child.weights[i]!,
    den: total * sum,
    proxy: child.proxy,
    at: r.field,
  }));
}

/** The settings of a proxy other than its servers and how it picks one. */
function settingsOf(h: ReverseProxyHandler): string {
  const { upstreams: _u, load_balancing: _l, ...rest } = h;
  return JSON.stringify(rest);
}

/**
 * A weighted service as one proxy over all its servers, each weighted by its share (Traefik's weighted round robin
 * over the children's, flattened). The children must agree on everything else to be one Caddy proxy.
 */
function buildWeighted(name: string, defs: Map<string, ServiceDef | undefined>): HttpService | undefined {
  const def = defs.get(name) as Extract<ServiceDef, { kind: 'weighted' }>;
  const shares = flattenWeighted(def, defs, [name], 'the HTTP service', lbShares);
  if (!shares) return undefined;
  const live = shares.filter((x) => x.num > 0);
  const first = live[0]!;
  for (const x of live) {
    if (settingsOf(x.proxy) !== settingsOf(first.proxy))
      throw x.at.error(
        'the services of a weighted service are one proxy here: their passHostHeader, healthCheck, serversTransport and responseForwarding must be the same',
      );
  }
  // A server in several children gets their shares together.
  const merged = new Map<string, Fraction>();
  for (const x of live) {
    const prev = merged.get(x.dial);
    merged.set(
      x.dial,
      reduced(prev ? { num: prev.num * x.den + x.num * prev.den, den: prev.den * x.den } : { num: x.num, den: x.den }),
    );
  }
  const weights = integerWeights([...merged.values()]);
  const h: ReverseProxyHandler = { handler: 'reverse_proxy' };
  if (weights.length > 1)
    h.load_balancing = {
      selection_policy: weights.every((w) => w === 1)
        ? { policy: 'round_robin' }
        : { policy: 'weighted_round_robin', weights },
    };
  const { handler: _h, upstreams: _u, load_balancing: _l, ...rest } = structuredClone(first.proxy);
  Object.assign(h, rest);
  h.upstreams = [...merged.keys()].map((dial) => ({ dial }));
  return { handlers: [h] };
}

/** Reads transports and services; each definition's error is reported once, and the others still adapt. */
export function readHttpServices(
  transportTables: (Field | undefined)[],
  serviceTables: (Field | undefined)[],
  attempt: Attempt,
): Services<HttpService> {
  return readServices(
    { transports: transportTables, services: serviceTables },
    { transport: 'the HTTP servers transport', service: 'the HTTP service' },
    {
      transport: readTransport,
      service: readService,
      build: (name, defs) => {
        const def = defs.get(name);
        return def?.kind === 'weighted' ? buildWeighted(name, defs) : def?.service;
      },
      // Weighted services are checked even when no router uses them, as Traefik builds them all.
      buildAtOnce: (def) => def.kind === 'weighted',
    },
    attempt,
  );
}
