/** @module http-app: the `http` app JSON from the built servers, in Go struct order. */
import type { AutoHttpsConfig, HttpApp, HttpMetrics, HttpServer, Route } from '@proxy/contract';
import { sortedMap, struct } from '../json.js';
import { connPolicyJSON } from '../tls/conn-policy.js';
import { optionValue } from '../options/values.js';
import { routeJSON } from './route.js';
import { serverLogsJSON, type ServerDraft } from './servers.js';

/** Routes as the contract types them. */
function routesJSON(routes: ServerDraft['routes']): Route[] {
  return routes.map(routeJSON);
}

/** One server's JSON. */
export function serverJSON(s: ServerDraft): HttpServer {
  const f: HttpServer = s.extra ?? {};
  const keep: (keyof HttpServer & string)[] = [];
  if (s.logs) keep.push('logs');
  if (s.autoHTTPS) keep.push('automatic_https');
  if (s.errors) keep.push('errors');
  if (f.allow_0rtt === false) keep.push('allow_0rtt');
  if (f.strict_sni_host === false) keep.push('strict_sni_host');
  const a = s.autoHTTPS;
  // Go struct order of `caddyhttp.Server`.
  return struct<HttpServer>(
    {
      listen: s.listen,
      listener_wrappers: f.listener_wrappers ?? s.listenerWrappers,
      packet_conn_wrappers: f.packet_conn_wrappers,
      read_timeout: f.read_timeout,
      read_header_timeout: f.read_header_timeout,
      read_idle_timeout: f.read_idle_timeout,
      read_min_rate: f.read_min_rate,
      write_timeout: f.write_timeout,
      write_idle_timeout: f.write_idle_timeout,
      write_min_rate: f.write_min_rate,
      max_write_chunk: f.max_write_chunk,
      idle_timeout: f.idle_timeout,
      keepalive_interval: f.keepalive_interval,
      keepalive_idle: f.keepalive_idle,
      keepalive_count: f.keepalive_count,
      max_header_bytes: f.max_header_bytes,
      enable_full_duplex: f.enable_full_duplex,
      expected_underscore_headers: f.expected_underscore_headers,
      expected_dot_headers: f.expected_dot_headers,
      routes: routesJSON(s.routes),
      errors: s.errors ? { routes: routesJSON(s.errors.routes) } : undefined,
      named_routes: s.namedRoutes ? sortedMap(s.namedRoutes) : undefined,
      tls_connection_policies: s.tlsConnPolicies.map(connPolicyJSON),
      automatic_https: a
        ? struct<AutoHttpsConfig>({
            disable: a.disable,
            disable_redirects: a.disable_redirects,
            disable_certificates: a.disable_certificates,
            skip: a.skip,
            ignore_loaded_certificates: a.ignore_loaded_certificates,
          })
        : undefined,
      strict_sni_host: f.strict_sni_host,
      trusted_proxies: f.trusted_proxies,
      client_ip_headers: f.client_ip_headers,
      trusted_proxies_strict: f.trusted_proxies_strict,
      trusted_proxies_unix: f.trusted_proxies_unix,
      logs: s.logs ? serverLogsJSON(s.logs) : undefined,
      protocols: f.protocols,
      listen_protocols: s.listenProtocols,
      allow_0rtt: f.allow_0rtt,
      metrics: f.metrics,
    },
    keep,
  );
}

/** The http app: ports, grace periods, servers (sorted by name), metrics. */
export function httpAppJSON(
  servers: Map<string, ServerDraft>,
  options: ReadonlyMap<string, unknown>,
  metrics: HttpMetrics | undefined,
): HttpApp {
  return struct<HttpApp>(
    {
      http_port: optionValue(options, 'http_port'),
      https_port: optionValue(options, 'https_port'),
      grace_period: optionValue(options, 'grace_period'),
      shutdown_delay: optionValue(options, 'shutdown_delay'),
      servers: sortedMap(new Map([...servers].map(([k, v]) => [k, serverJSON(v)]))),
      metrics,
    },
    metrics ? ['metrics'] : [],
  );
}
