/** @module servers: turns pairings into `apps.http.servers` (Caddy's `serversFromPairings`). */
import { byteLength, sortStrings, sliceStable } from './go-sort.js';
import { addressString, specificity, type Address } from './address.js';
import { AdaptError } from './errors.js';
import type { AdaptContext } from './context.js';
import { listenersUseAnyPortOtherThan, ports, type Pairing } from './listeners.js';
import {
  appendSubrouteToRouteList,
  buildSubroute,
  consolidateRoutes,
  type GroupCounter,
  type Route,
  type SubrouteValue,
} from './route.js';
import { hasHostCatchAllKey, hostsFromKeys, pileOf, stripPort, type SiteView } from './site.js';
import { sortedMap, struct } from '../json.js';
import { consolidateConnPolicies, settingsEmpty, type ConnPolicy } from '../tls/conn-policy.js';
import { shieldClientAuth } from '../tls/shield.js';
import type { CustomLogValue } from './logging.js';
import type {
  AdaptedMatcherSet,
  HttpServer,
  ListenerWrapperConfig,
  Route as RouteJson,
  ServerLogConfig,
} from '@proxy/contract';
import { optionValue } from '../options/values.js';

/** A server under construction (fields of `caddyhttp.Server` the adapter sets directly). */
export interface ServerDraft {
  listen: string[];
  listenProtocols?: (string[] | null)[];
  routes: Route[];
  errors?: { routes: Route[] };
  namedRoutes?: Map<string, RouteJson>;
  tlsConnPolicies: ConnPolicy[];
  autoHTTPS?: {
    disable?: boolean;
    disable_redirects?: boolean;
    disable_certificates?: boolean;
    skip?: string[];
    ignore_loaded_certificates?: boolean;
  };
  logs?: {
    default_logger_name?: string;
    logger_names?: Map<string, string[]>;
    skip_hosts?: string[];
    skip_unmapped_hosts?: boolean;
    should_log_credentials?: boolean;
    trace?: boolean;
  };
  /** Filled from the `servers` option. */
  extra?: HttpServer;
  listenerWrappers?: ListenerWrapperConfig[];
}

function matcherSetsFor(v: SiteView): AdaptedMatcherSet[] {
  const pairs: { host?: string[]; path?: string[] }[] = [];
  let catchAll = false;
  for (const a of v.parsedKeys) {
    let chosen = pairs.find((p) => (!p.path && a.path === '') || (p.path?.length === 1 && p.path[0] === a.path));
    if (!chosen) {
      chosen = a.path !== '' ? { path: [a.path] } : {};
      pairs.push(chosen);
    }
    if (a.host === '' && !catchAll) {
      delete chosen.host;
      catchAll = true;
    }
    if (catchAll) continue;
    if (a.host !== '' && !(chosen.host ?? []).includes(a.host)) chosen.host = [...(chosen.host ?? []), a.host];
  }
  const out: AdaptedMatcherSet[] = [];
  for (const p of pairs) {
    const set: AdaptedMatcherSet = {};
    if (p.host?.length) set.host = p.host;
    if (p.path?.length) set.path = p.path;
    if (Object.keys(set).length > 0) out.push(set);
  }
  return out;
}

function sortViews(views: SiteView[]): void {
  // What the comparison looks at, worked out once per view rather than on every comparison (Caddy recomputes it).
  const keys = views.map((v) => {
    let path = '';
    let host = '';
    let wildcard = false;
    for (const a of v.parsedKeys) {
      if (a.host.includes('*') || a.host === '') wildcard = true;
      if (specificity(a.host) > specificity(host)) host = a.host;
      if (specificity(a.path) > specificity(path)) path = a.path;
    }
    return { view: v, hostSpec: specificity(host), pathLen: byteLength(path), wildcard };
  });
  sliceStable(keys, (i, j) => {
    if (i.hostSpec === 0) return false;
    if (j.hostSpec === 0) return true;
    if (i.wildcard !== j.wildcard) return j.wildcard;
    if (i.hostSpec === j.hostSpec) return i.pathLen > j.pathLen;
    return i.hostSpec > j.hostSpec;
  });
  for (let k = 0; k < keys.length; k++) views[k] = keys[k]!.view;
}

function detectConflictingSchemes(srv: ServerDraft, views: SiteView[], httpPort: string, httpsPort: string): void {
  let mode = '';
  const listen = `[${srv.listen.join(' ')}]`;
  const setHTTP = (a: Address) => {
    if (mode === 'HTTPS') {
      let msg = `server listening on ${listen} is configured for HTTPS and cannot natively multiplex HTTP and HTTPS: ${a.original}`;
      if (a.scheme === '' && a.host === '') msg += ' (try specifying https:// in the address)';
      throw new AdaptError(msg);
    }
    if (srv.tlsConnPolicies.length > 0)
      throw new AdaptError(`server listening on ${listen} is HTTP, but attempts to configure TLS connection policies`);
    mode = 'HTTP';
  };
  const setHTTPS = (a: Address) => {
    if (mode === 'HTTP')
      throw new AdaptError(
        `server listening on ${listen} is configured for HTTP and cannot natively multiplex HTTP and HTTPS: ${a.original}`,
      );
    mode = 'HTTPS';
  };
  for (const v of views) {
    for (const a of v.parsedKeys) {
      if (a.scheme === 'http' || a.port === httpPort) setHTTP(a);
      else if (a.scheme === 'https' || a.port === httpsPort || srv.tlsConnPolicies.length > 0) setHTTPS(a);
      else if (a.host === '') setHTTP(a);
    }
  }
}

/** Builds one server per pairing, named srv0, srv1... */
export function serversFromPairings(
  pairings: Pairing[],
  ctx: AdaptContext,
  gc: GroupCounter,
  namedRoutes: Map<string, RouteJson>,
): Map<string, ServerDraft> {
  const options = ctx.options;
  const servers = new Map<string, ServerDraft>();
  const defaultSNI = optionValue(options, 'default_sni') ?? '';
  const fallbackSNI = optionValue(options, 'fallback_sni') ?? '';
  const { httpPort, httpsPort } = ports(options);
  const autoHTTPS = optionValue(options, 'auto_https') ?? [];
  const invokes =
    (options.get('named_route_invokes') as Map<string, Set<string>> | undefined) ?? new Map<string, Set<string>>();

  pairings.forEach((p, i) => {
    // A key in two site blocks of one pairing is ambiguous (the views holding each key text, counted once).
    const holders = new Map<string, number>();
    for (const v of p.views)
      for (const t of new Set(v.keys.map((k) => k.text))) holders.set(t, (holders.get(t) ?? 0) + 1);
    for (const a of p.views) {
      for (const key of a.keys)
        if (holders.get(key.text)! > 1) throw new AdaptError(`ambiguous site definition: ${key.text}`, key);
    }
    const srv: ServerDraft = { listen: p.addresses.map((a) => a.address), routes: [], tlsConnPolicies: [] };
    const lp = p.addresses.map((a) => (a.protocols.some((x) => x !== '') ? a.protocols : null));
    if (lp.some((x) => x !== null)) srv.listenProtocols = lp;
    for (const val of autoHTTPS) {
      srv.autoHTTPS ??= {};
      if (val === 'off') srv.autoHTTPS.disable = true;
      else if (val === 'disable_redirects') srv.autoHTTPS.disable_redirects = true;
      else if (val === 'disable_certs') srv.autoHTTPS.disable_certificates = true;
      else if (val === 'ignore_loaded_certs') srv.autoHTTPS.ignore_loaded_certificates = true;
    }
    for (const v of p.views) {
      v.parsedKeys.forEach((a, k) => {
        if (a.path !== '')
          ctx.warn(
            `Using a path in a site address is deprecated; please use the 'handle' directive instead: ${addressString(a)}`,
            v.keys[k],
          );
        if (a.host === '0.0.0.0' || a.host === '::') {
          ctx.warn(
            `Site block has an unspecified IP address which only matches requests having that Host header; you probably want the 'bind' directive to configure the socket: ${a.host}`,
            v.keys[k],
          );
        }
      });
    }
    sortViews(p.views);

    let hasCatchAllTLSConnPolicy = false;
    let addressQualifiesForTLS = false;
    let autoHTTPSWillAddConnPolicy = !srv.autoHTTPS?.disable;
    const emptyConnPolicies: ConnPolicy[] = [];
    // The listeners are fixed for the server: whether they use another port than HTTP's is too.
    const usesOtherPort = listenersUseAnyPortOtherThan(srv.listen, httpPort);

    if (p.views.some((v) => pileOf(v.site, 'custom_log').length > 0)) srv.logs = {};

    // named routes invoked in this server, transitively
    const wanted: string[] = [];
    for (const v of p.views) for (const nv of pileOf(v.site, 'named_route')) wanted.push(nv.value as string);
    const seen = new Set<string>();
    while (wanted.length > 0) {
      const name = wanted.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const r = namedRoutes.get(name);
      if (!r) throw new AdaptError(`cannot invoke named route '${name}', which was not defined`);
      srv.namedRoutes ??= new Map();
      srv.namedRoutes.set(name, r);
      for (const n of invokes.get(name) ?? []) wanted.push(n);
    }

    for (const v of p.views) {
      const matcherSets = matcherSetsFor(v);
      let hosts = hostsFromKeys(v, false);
      const forced = new Set<string>();
      if (v.site.pile.has('tls.force_automate')) for (const h of hosts) forced.add(h);

      const cpVals = pileOf(v.site, 'tls.connection_policy');
      if (cpVals.length > 0) {
        for (const cpVal of cpVals) {
          const cp: ConnPolicy = { ...(cpVal.value as ConnPolicy) };
          for (const h of hosts) {
            if (h === defaultSNI) {
              hosts = [...hosts, ''];
              cp.default_sni = defaultSNI;
              break;
            }
            if (h === fallbackSNI) {
              hosts = [...hosts, ''];
              cp.fallback_sni = fallbackSNI;
              break;
            }
          }
          if (hosts.length > 0) {
            hosts = sortStrings(hosts);
            cp.match = { sni: hosts };
          } else {
            cp.default_sni = defaultSNI || undefined;
            cp.fallback_sni = fallbackSNI || undefined;
          }
          if (!settingsEmpty(cp) || hosts.some((h) => forced.has(h))) {
            srv.tlsConnPolicies.push(cp);
            hasCatchAllTLSConnPolicy = hosts.length === 0;
          } else if (hosts.length > 0) emptyConnPolicies.push(cp);
        }
      } else {
        const specific = sortStrings(hosts.filter((h) => h !== '' && !h.includes('*')));
        if (specific.length > 0) emptyConnPolicies.push({ match: { sni: specific } });
      }

      for (const a of v.parsedKeys) {
        if (usesOtherPort && a.scheme === 'http' && a.host !== '') {
          srv.autoHTTPS ??= {};
          srv.autoHTTPS.skip ??= [];
          if (!srv.autoHTTPS.skip.includes(a.host)) srv.autoHTTPS.skip.push(a.host);
        }
        const hasTLSEnabled =
          cpVals.length > 0 ||
          (a.host !== '' && srv.autoHTTPS !== undefined && !(srv.autoHTTPS.skip ?? []).includes(a.host));
        if (a.scheme === 'https' || (a.scheme !== 'http' && a.port !== httpPort && hasTLSEnabled))
          addressQualifiesForTLS = true;
        autoHTTPSWillAddConnPolicy =
          autoHTTPSWillAddConnPolicy && (a.port === httpsPort || (a.port !== httpPort && a.host !== ''));
      }

      for (const lw of pileOf(v.site, 'listener_wrapper')) {
        srv.listenerWrappers = [...(srv.listenerWrappers ?? []), lw.value as ListenerWrapperConfig];
      }

      const siteSub = buildSubroute(pileOf(v.site, 'route'), gc, true, ctx.order);
      srv.routes = appendSubrouteToRouteList(srv.routes, siteSub, matcherSets, p.views.length);

      const errVals = [...pileOf(v.site, 'error_route')];
      if (errVals.length > 0) {
        srv.errors ??= { routes: [] };
        sliceStable(errVals, (x, y) => {
          const sx = x.value as SubrouteValue;
          const sy = y.value as SubrouteValue;
          if (!sx.routes[0]?.match?.length && sy.routes[0]?.match?.length) return false;
          return true;
        });
        const errSub: SubrouteValue = {
          kind: 'subroute',
          routes: errVals.flatMap((x) => (x.value as SubrouteValue).routes),
        };
        srv.errors.routes = appendSubrouteToRouteList(srv.errors.routes, errSub, matcherSets, p.views.length);
      }

      const logHosts = hostsFromKeys(v, true, httpPort, httpsPort);
      const logs = pileOf(v.site, 'custom_log');
      for (const cv of logs) {
        const ncl = cv.value as CustomLogValue;
        if (ncl.noHostname) continue;
        const l = srv.logs!;
        if (hasHostCatchAllKey(v) && (ncl.hostnames ?? []).length === 0) l.default_logger_name = ncl.name;
        else {
          const hs = (ncl.hostnames ?? []).length > 0 ? ncl.hostnames! : logHosts.map(stripPort);
          for (const h of hs) {
            l.logger_names ??= new Map();
            l.logger_names.set(h, [...(l.logger_names.get(h) ?? []), ncl.name]);
          }
        }
      }
      if (srv.logs && logs.length === 0) {
        if (hosts.length === 0) srv.logs.skip_unmapped_hosts = true;
        srv.logs.skip_hosts = [...(srv.logs.skip_hosts ?? []), ...logHosts];
      }
    }
    if (srv.logs?.skip_hosts) srv.logs.skip_hosts = sortStrings(srv.logs.skip_hosts);

    detectConflictingSchemes(srv, p.views, httpPort, httpsPort);
    srv.tlsConnPolicies = shieldClientAuth(srv.tlsConnPolicies, emptyConnPolicies);

    if (
      addressQualifiesForTLS &&
      !hasCatchAllTLSConnPolicy &&
      (srv.tlsConnPolicies.length > 0 || !autoHTTPSWillAddConnPolicy || defaultSNI !== '' || fallbackSNI !== '')
    ) {
      srv.tlsConnPolicies.push({ default_sni: defaultSNI || undefined, fallback_sni: fallbackSNI || undefined });
    }
    try {
      srv.tlsConnPolicies = consolidateConnPolicies(srv.tlsConnPolicies);
    } catch (e) {
      throw new AdaptError(`consolidating TLS connection policies for server ${i}: ${(e as Error).message}`);
    }
    srv.routes = consolidateRoutes(srv.routes);
    servers.set(`srv${i}`, srv);
  });
  return servers;
}

/** The logs config in Go struct order. */
export function serverLogsJSON(l: NonNullable<ServerDraft['logs']>): ServerLogConfig {
  return struct<ServerLogConfig>({
    default_logger_name: l.default_logger_name,
    logger_names: l.logger_names && l.logger_names.size > 0 ? sortedMap(l.logger_names) : undefined,
    skip_hosts: l.skip_hosts,
    skip_unmapped_hosts: l.skip_unmapped_hosts,
    should_log_credentials: l.should_log_credentials,
    trace: l.trace,
  });
}
