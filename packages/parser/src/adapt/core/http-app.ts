/** @module http-app: the `http` app JSON from the built servers, in Go struct order. */
import { sortedMap, struct, type JsonObject } from '../json.js';
import { connPolicyJSON } from '../tls/conn-policy.js';
import { routeJSON } from './route.js';
import { serverLogsJSON, type ServerDraft } from './servers.js';

const SERVER_FIELDS = [
  'listen', 'listener_wrappers', 'packet_conn_wrappers', 'read_timeout', 'read_header_timeout', 'read_idle_timeout',
  'read_min_rate', 'write_timeout', 'write_idle_timeout', 'write_min_rate', 'max_write_chunk', 'idle_timeout',
  'keepalive_interval', 'keepalive_idle', 'keepalive_count', 'max_header_bytes', 'enable_full_duplex',
  'expected_underscore_headers', 'expected_dot_headers', 'routes', 'errors', 'named_routes', 'tls_connection_policies',
  'automatic_https', 'strict_sni_host', 'trusted_proxies', 'client_ip_headers', 'trusted_proxies_strict',
  'trusted_proxies_unix', 'logs', 'protocols', 'listen_protocols', 'allow_0rtt', 'metrics',
];

/** One server's JSON. */
export function serverJSON(s: ServerDraft): JsonObject {
  const f: Record<string, unknown> = { ...(s.extra ?? {}) };
  f['listen'] = s.listen;
  if (s.listenerWrappers && !('listener_wrappers' in f)) f['listener_wrappers'] = s.listenerWrappers;
  f['routes'] = s.routes.map(routeJSON);
  if (s.errors) f['errors'] = { routes: s.errors.routes.map(routeJSON) };
  if (s.namedRoutes) f['named_routes'] = sortedMap(s.namedRoutes);
  f['tls_connection_policies'] = s.tlsConnPolicies.map(connPolicyJSON);
  if (s.autoHTTPS) {
    const a = s.autoHTTPS;
    f['automatic_https'] = struct({ disable: a.disable, disable_redirects: a.disable_redirects, disable_certificates: a.disable_certificates, skip: a.skip, ignore_loaded_certificates: a.ignore_loaded_certificates });
  }
  if (s.logs) f['logs'] = serverLogsJSON(s.logs);
  f['listen_protocols'] = s.listenProtocols;
  const ordered: Record<string, unknown> = {};
  for (const k of SERVER_FIELDS) ordered[k] = f[k];
  const keep = ['logs', 'automatic_https', 'errors'].filter((k) => f[k] !== undefined);
  if (f['allow_0rtt'] === false) keep.push('allow_0rtt');
  if (f['strict_sni_host'] === false) keep.push('strict_sni_host');
  return struct(ordered, keep);
}

/** The http app: ports, grace periods, servers (sorted by name), metrics. */
export function httpAppJSON(servers: Map<string, ServerDraft>, options: ReadonlyMap<string, unknown>, metrics: JsonObject | undefined): JsonObject {
  const out: Record<string, unknown> = {
    http_port: options.get('http_port'),
    https_port: options.get('https_port'),
    grace_period: options.get('grace_period'),
    shutdown_delay: options.get('shutdown_delay'),
    servers: sortedMap(new Map([...servers].map(([k, v]) => [k, serverJSON(v)]))),
    metrics,
  };
  return struct(out, metrics ? ['metrics'] : []);
}
