/**
 * @module static: the parts of Traefik's static configuration this adapter reads: entry points (`address`,
 * `asDefault`, `proxyProtocol`, `forwardedHeaders`, `http.redirections`, `transport.respondingTimeouts`,
 * `udp.timeout`), `certificatesResolvers` (acme.ts) and `providers.file`.
 */
import { isIP } from 'node:net';
import { readCertResolvers, type CertResolvers } from './acme.js';
import { goDuration } from './duration.js';
import type { Field } from './reader.js';

/** `http.redirections.entryPoint`: every request on the entry point is redirected (Traefik's redirectScheme). */
export interface EntryPointRedirect {
  /** The port of the target (an entry point's, or `to: ":443"`). */
  port: string;
  scheme: string;
  permanent: boolean;
  /** Given explicitly (Traefik's default is MaxInt - 1: before every router). */
  priority: number | undefined;
  field: Field;
}

export interface EntryPoint {
  name: string;
  /** Caddy listen address (`:5432`, `127.0.0.1:5432`), without the network. */
  address: string;
  /** The `/udp` suffix: UDP routers attach here, TCP and HTTP ones do not. */
  udp?: boolean;
  /** `udp.timeout` as a Caddy duration (Traefik's default is 3s). */
  udpTimeout?: string;
  /** `asDefault`: routers without `entryPoints` attach to these (all entry points when none is marked). */
  asDefault: boolean;
  /** `proxyProtocol`: PROXY headers are taken from these sources (the others' are read and ignored). */
  proxyProtocolFrom?: string[];
  /** `forwardedHeaders`: X-Forwarded-* headers of these sources are kept (Caddy's trusted_proxies). */
  forwardedFrom?: string[];
  redirect?: EntryPointRedirect;
  /** `transport.respondingTimeouts`, as Caddy server timeouts; only the ones given. */
  timeouts?: { read_timeout?: string; write_timeout?: string; idle_timeout?: string };
  /** The entry point's key, for errors about it. */
  field?: Field;
}

export interface StaticConfig {
  entryPoints: EntryPoint[];
  resolvers: CertResolvers;
}

/** Without entry points Traefik listens on `:80` as "http". */
export const DEFAULT_ENTRYPOINTS: EntryPoint[] = [{ name: 'http', address: ':80', asDefault: false }];

/** Traefik keys of an entry point this adapter refuses by name (rather than as unknown). */
const ENTRYPOINT_UNSUPPORTED = ['http2', 'http3', 'observability', 'reusePort', 'allowACMEByPass'];
/** Top-level static keys known to Traefik but not adapted: refused by name. */
const STATIC_UNSUPPORTED = [
  'log',
  'accessLog',
  'api',
  'ping',
  'metrics',
  'tracing',
  'serversTransport',
  'tcpServersTransport',
  'experimental',
  'hostResolver',
  'spiffe',
  'core',
];

export function readStatic(root: Field): EntryPoint[] {
  return readStaticConfig(root).entryPoints;
}

export function readStaticConfig(root: Field): StaticConfig {
  const k = root.object(
    ['entryPoints', 'providers', 'certificatesResolvers', 'global', ...STATIC_UNSUPPORTED],
    'the static configuration',
  );
  for (const key of STATIC_UNSUPPORTED) {
    if (k[key]?.present) throw k[key].error(`${key} is not supported by this adapter`);
  }
  // Telemetry switches: nothing to serve differently.
  if (k['global']) {
    const g = k['global'].object(['checkNewVersion', 'sendAnonymousUsage'], 'global');
    g['checkNewVersion']?.bool();
    g['sendAnonymousUsage']?.bool();
  }
  if (k['providers']) {
    const p = k['providers'].object(['file'], 'providers');
    // The dynamic file is given with --config; the file provider's own settings change nothing here.
    p['file']?.object(['filename', 'directory', 'watch'], 'providers.file');
  }
  const eps = k['entryPoints']?.entries() ?? [];
  const raw = eps.length === 0 ? [] : eps.map((ep) => readEntryPoint(ep));
  const entryPoints = raw.length === 0 ? DEFAULT_ENTRYPOINTS : raw.map((r) => r.ep);
  for (const r of raw) if (r.redirectTo) r.ep.redirect = resolveRedirect(r.redirectTo, entryPoints);
  const resolvers = readCertResolvers(k['certificatesResolvers'], entryPoints);
  return { entryPoints, resolvers };
}

interface RawRedirect {
  to: Field;
  scheme: string;
  permanent: boolean;
  priority: number | undefined;
  field: Field;
}

function readEntryPoint(ep: Field): { ep: EntryPoint; redirectTo?: RawRedirect } {
  const e = ep.object(
    [
      'address',
      'asDefault',
      'proxyProtocol',
      'forwardedHeaders',
      'http',
      'transport',
      'udp',
      ...ENTRYPOINT_UNSUPPORTED,
    ],
    'an entry point',
  );
  for (const key of ENTRYPOINT_UNSUPPORTED) {
    if (e[key]?.present) throw e[key].error(`${key} is not supported by this adapter`);
  }
  const address = e['address']?.string();
  if (!address) throw (e['address'] ?? ep).error('an entry point needs an address');
  const m = /^(.*?)(\/(tcp|udp))?$/i.exec(address)!;
  const udp = m[3]?.toLowerCase() === 'udp';
  const hostPort = m[1]!;
  if (!/^(\[[^\]]*\]|[^:]*):\d{1,5}$/.test(hostPort) || Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)) > 65535)
    throw e['address']!.error(`invalid address ${JSON.stringify(address)} (want [host]:port, maybe with /tcp or /udp)`);
  const out: EntryPoint = { name: ep.name, address: hostPort, asDefault: e['asDefault']?.bool() ?? false, field: ep };
  if (udp) {
    out.udp = true;
    out.udpTimeout = '3s';
  }
  if (e['udp']) {
    const u = e['udp'].object(['timeout'], 'udp');
    if (!udp && u['timeout']?.present)
      throw u['timeout'].error('udp.timeout is for UDP entry points (address .../udp)');
    if (u['timeout']) out.udpTimeout = goDuration(u['timeout']) ?? out.udpTimeout;
  }
  const tcpOnly = (f: Field | undefined): void => {
    if (udp && f?.present) throw f.error(`${f.name} does not apply to a UDP entry point`);
  };
  if (e['proxyProtocol']) {
    tcpOnly(e['proxyProtocol']);
    out.proxyProtocolFrom = readTrusted(e['proxyProtocol'], 'proxyProtocol');
  }
  if (e['forwardedHeaders']) {
    tcpOnly(e['forwardedHeaders']);
    out.forwardedFrom = readTrusted(e['forwardedHeaders'], 'forwardedHeaders');
  }
  if (e['transport']) {
    tcpOnly(e['transport']);
    const timeouts = readTransport(e['transport']);
    if (timeouts) out.timeouts = timeouts;
  }
  let redirectTo: RawRedirect | undefined;
  if (e['http']) {
    tcpOnly(e['http']);
    redirectTo = readHttp(e['http']);
  }
  return redirectTo ? { ep: out, redirectTo } : { ep: out };
}

/** `http`: only `redirections` (`middlewares`, `tls`... would apply to HTTP routers' defaults). */
function readHttp(f: Field): RawRedirect | undefined {
  const unsupported = ['middlewares', 'tls', 'encodeQuerySemicolons', 'sanitizePath', 'maxHeaderBytes'];
  const k = f.object(['redirections', ...unsupported], "an entry point's http");
  for (const key of unsupported) {
    if (k[key]?.present) throw k[key].error(`http.${key} of an entry point is not supported by this adapter`);
  }
  if (!k['redirections']) return undefined;
  const r = k['redirections'].object(['entryPoint'], 'http.redirections');
  const ep = r['entryPoint'];
  if (!ep?.present) return undefined;
  const t = ep.object(['to', 'scheme', 'permanent', 'priority'], 'http.redirections.entryPoint');
  if (!t['to']?.present) throw ep.error('a redirection needs "to" (an entry point name or ":port")');
  const scheme = t['scheme']?.string() ?? 'https';
  if (!/^[a-z][a-z0-9+.-]*$/i.test(scheme)) throw t['scheme']!.error(`invalid scheme ${JSON.stringify(scheme)}`);
  const priority = t['priority']?.int();
  if (priority !== undefined && priority < 1) throw t['priority']!.error('priority must be positive');
  return {
    to: t['to'],
    scheme,
    // Traefik's default for entry point redirections is permanent.
    permanent: t['permanent']?.bool() ?? true,
    priority,
    field: ep,
  };
}

/** `to` names an entry point (its port is the target) or is a `:port` itself, as Traefik's redirection reads it. */
function resolveRedirect(r: RawRedirect, all: EntryPoint[]): EntryPointRedirect {
  const to = r.to.string() ?? '';
  let port: string;
  const portOnly = /^:(\d{1,5})$/.exec(to);
  if (portOnly) port = portOnly[1]!;
  else {
    const target = all.find((e) => e.name === to);
    if (!target)
      throw r.to.error(
        `the entry point "${to}" does not exist (static configuration: ${all.map((e) => e.name).join(', ')})`,
      );
    if (target.udp) throw r.to.error(`the entry point "${to}" is a UDP one`);
    port = target.address.slice(target.address.lastIndexOf(':') + 1);
  }
  return { port, scheme: r.scheme, permanent: r.permanent, priority: r.priority, field: r.field };
}

/** `transport`: only `respondingTimeouts`. */
function readTransport(f: Field): EntryPoint['timeouts'] {
  const unsupported = ['lifeCycle', 'keepAliveMaxRequests', 'keepAliveMaxTime'];
  const k = f.object(['respondingTimeouts', ...unsupported], 'transport');
  for (const key of unsupported) {
    if (k[key]?.present) throw k[key].error(`transport.${key} is not supported by this adapter`);
  }
  if (!k['respondingTimeouts']) return undefined;
  const t = k['respondingTimeouts'].object(['readTimeout', 'writeTimeout', 'idleTimeout'], 'respondingTimeouts');
  const out: NonNullable<EntryPoint['timeouts']> = {};
  const read = t['readTimeout'] && goDuration(t['readTimeout']);
  const write = t['writeTimeout'] && goDuration(t['writeTimeout']);
  const idle = t['idleTimeout'] && goDuration(t['idleTimeout']);
  if (read) out.read_timeout = read;
  if (write) out.write_timeout = write;
  if (idle) out.idle_timeout = idle;
  return Object.keys(out).length ? out : undefined;
}

/** Traefik: `insecure` trusts every source; else `trustedIPs` (IPs or CIDR ranges). */
function readTrusted(f: Field, what: string): string[] {
  const k = f.object(
    what === 'forwardedHeaders' ? ['trustedIPs', 'insecure', 'connection'] : ['trustedIPs', 'insecure'],
    what,
  );
  if (k['connection']?.present)
    throw k['connection'].error('forwardedHeaders.connection is not supported by this adapter');
  if (k['insecure']?.bool()) return ['0.0.0.0/0', '::/0'];
  return (k['trustedIPs']?.items() ?? []).map((t) => {
    const v = t.string() ?? '';
    const [ip, bits, extra] = v.split('/');
    const family = isIP(ip ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !okBits || extra !== undefined)
      throw t.error(`${JSON.stringify(v)} is not an IP address or CIDR range`);
    return v;
  });
}
