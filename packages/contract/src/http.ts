/** @module http: the HTTP app (`caddyhttp.App`), servers, routes and matchers. */
import type { Duration } from './core.js';
import { connectionPolicySchema, type ConnectionPolicy } from './tls.js';
import type { HttpHandler } from './handlers.js';
import { s, type Fields, type Known } from './schema.js';

/** The HTTP app. */
export interface HttpApp {
  /** Port for plain HTTP, default 80 (used by automatic HTTPS). */
  http_port?: number;
  /** Port for HTTPS, default 443. */
  https_port?: number;
  /** How long to wait for in-flight requests on shutdown. */
  grace_period?: Duration;
  /** How long to wait before starting the grace period on shutdown. */
  shutdown_delay?: Duration;
  /** Servers keyed by name. */
  servers?: Record<string, HttpServer>;
  /** Metrics settings. */
  metrics?: HttpMetrics;
}

/** The http app's metrics settings (`caddyhttp.Metrics`). */
export interface HttpMetrics {
  /** Label metrics by host. */
  per_host?: boolean;
  /** Count hosts not in any route under a catch-all label. */
  observe_catchall_hosts?: boolean;
  /** Also export metrics over OpenTelemetry (OTLP). */
  otlp?: boolean;
}

/** The schema of the http app's (and, deprecated, a server's) metrics settings. */
export const httpMetricsSchema = s.obj<HttpMetrics>({
  per_host: s.bool,
  observe_catchall_hosts: s.bool,
  otlp: s.bool,
});

/** A listener wrapper module (`caddy.listeners.*`), e.g. `{"wrapper":"tls"}` or `{"wrapper":"layer4",...}`. */
export interface ListenerWrapperConfig {
  /** The wrapper module name. */
  wrapper: string;
  [field: string]: unknown;
}

/** An HTTP server (`caddyhttp.Server`). */
export interface HttpServer {
  /** Network addresses to listen on, e.g. ":443", "127.0.0.1:8080-8085", "[::1]:80". */
  listen?: string[];
  /** Listener wrappers in order; `tls` marks where TLS is terminated. */
  listener_wrappers?: ListenerWrapperConfig[];
  /** Packet connection wrappers (HTTP/3). */
  packet_conn_wrappers?: unknown[];
  /** Maximum time to read the whole request. */
  read_timeout?: Duration;
  /** Maximum time to read the request headers. */
  read_header_timeout?: Duration;
  /** Idle read timeout. */
  read_idle_timeout?: Duration;
  /** Minimum read rate. */
  read_min_rate?: number;
  /** Maximum time to write the response. */
  write_timeout?: Duration;
  /** Idle write timeout. */
  write_idle_timeout?: Duration;
  /** Minimum write rate. */
  write_min_rate?: number;
  /** Maximum write chunk size. */
  max_write_chunk?: number;
  /** Keep-alive idle timeout, default 5m. */
  idle_timeout?: Duration;
  /** TCP keep-alive interval. */
  keepalive_interval?: Duration;
  /** TCP keep-alive idle time. */
  keepalive_idle?: Duration;
  /** TCP keep-alive probe count. */
  keepalive_count?: number;
  /** Maximum size of request headers. */
  max_header_bytes?: number;
  /** Allow reading the request while writing the response (HTTP/1). */
  enable_full_duplex?: boolean;
  /** Headers with underscores expected from clients. */
  expected_underscore_headers?: string[];
  /** Headers with dots expected from clients. */
  expected_dot_headers?: string[];
  /** The routes, evaluated in order. */
  routes?: Route[];
  /** Routes to run when a handler errors. */
  errors?: { routes?: Route[] };
  /** Named routes that can be invoked. */
  named_routes?: Record<string, Route>;
  /** TLS connection policies; non-empty turns TLS on. */
  tls_connection_policies?: ConnectionPolicy[];
  /** Automatic HTTPS settings. */
  automatic_https?: AutoHttpsConfig;
  /** Require the Host header to match SNI. */
  strict_sni_host?: boolean;
  /** Trusted proxies (`http.ip_sources.*`). */
  trusted_proxies?: { source: string; ranges?: string[]; [f: string]: unknown };
  /** Headers carrying the client IP from trusted proxies. */
  client_ip_headers?: string[];
  /** Parse client IP headers right to left. */
  trusted_proxies_strict?: number;
  /** Trust connections on unix sockets. */
  trusted_proxies_unix?: boolean;
  /** Access logging; present turns access logs on. */
  logs?: ServerLogConfig;
  /** Protocols to serve: h1, h2, h2c, h3. */
  protocols?: string[];
  /** Per-listener protocols; null for a listener that uses the server's. */
  listen_protocols?: (string[] | null)[];
  /** Allow TLS 0-RTT (HTTP/3). */
  allow_0rtt?: boolean;
  /** Per-server metrics (deprecated in current Caddy for the app's `metrics`, which it is merged into). */
  metrics?: HttpMetrics;
}

/** Automatic HTTPS settings (`caddyhttp.AutoHTTPSConfig`). */
export interface AutoHttpsConfig {
  /** Disables automatic HTTPS entirely. */
  disable?: boolean;
  /** Disables only the HTTP->HTTPS redirects. */
  disable_redirects?: boolean;
  /** Disables only certificate automation. */
  disable_certificates?: boolean;
  /** Hosts to exclude from automatic HTTPS. */
  skip?: string[];
  /** Hosts to exclude from certificate automation. */
  skip_certificates?: string[];
  /** Do not let loaded certificates suppress automation. */
  ignore_loaded_certificates?: boolean;
}

/** Access log settings (`caddyhttp.ServerLogConfig`). */
export interface ServerLogConfig {
  /** The logger name for requests not matched by `logger_names`. */
  default_logger_name?: string;
  /** Logger names keyed by host. */
  logger_names?: Record<string, string | string[]>;
  /** Hosts not to log. */
  skip_hosts?: string[];
  /** Skip hosts not in logger_names. */
  skip_unmapped_hosts?: boolean;
  /** Log credentials (Authorization, Cookie) unredacted. */
  should_log_credentials?: boolean;
  /** Log at trace level. */
  trace?: boolean;
}

/** A route (`caddyhttp.Route`). */
export interface Route {
  /** Group name: only the first matching route of a group runs. */
  group?: string;
  /** Matcher sets; the route matches when any set matches (OR of ANDs). */
  match?: MatcherSet[];
  /** Handlers, run in order. */
  handle?: HttpHandler[];
  /** Stop evaluating routes after this one. */
  terminal?: boolean;
}

/** A matcher set: all matchers in it must match (`http.matchers.*`). */
export interface MatcherSet {
  /** Hosts, with wildcards like "*.example.com". */
  host?: string[];
  /** Paths with * globs. */
  path?: string[];
  /** A regular expression over the path. */
  path_regexp?: MatchRegexp;
  /** HTTP methods. */
  method?: string[];
  /** Header values by field (with * globs); null value means the field must be absent. */
  header?: Record<string, string[] | null>;
  /** Regular expressions over header fields. */
  header_regexp?: Record<string, MatchRegexp>;
  /** Query arguments and their values. */
  query?: Record<string, string[]>;
  /** Protocol: http, https, grpc, http/1.1, http/2... */
  protocol?: string;
  /** Remote IP ranges. */
  remote_ip?: { ranges?: string[] };
  /** Client IP ranges (after trusted proxies). */
  client_ip?: { ranges?: string[] };
  /** Negated matcher sets. */
  not?: MatcherSet[];
  /** A CEL expression; current Caddy writes {expr, name} for a named matcher set (regexps take its name). */
  expression?: string | { expr: string; name?: string };
  /** File matcher. */
  file?: MatchFile;
  /** Variable matcher. */
  vars?: Record<string, string[]>;
  /** Variable regexp matcher. */
  vars_regexp?: Record<string, MatchRegexp>;
  /** TLS matcher. */
  tls?: { handshake_complete?: boolean };
  /** URL Pattern matcher (current Caddy; not supported by this runtime). */
  url_pattern?: MatchUrlPattern;
  [name: string]: unknown;
}

/** The matchers the Caddyfile adapter emits, by name: a matcher set without the open index signature. */
export type AdaptedMatcherSet = Known<MatcherSet>;

/** The JSON value of one matcher the adapter emits (any of `AdaptedMatcherSet`'s fields). */
export type AdaptedMatcher = Exclude<AdaptedMatcherSet[keyof AdaptedMatcherSet], undefined>;

/** `file`: matches requests for files that exist (`fileserver.MatchFile`). */
export interface MatchFile {
  /** The file system module name. */
  fs?: string;
  /** The folder to look in. */
  root?: string;
  /** The files to try, in order. */
  try_files?: string[];
  /** How to choose among existing files. */
  try_policy?: string;
  /** Substrings at which the path is split before looking for the file. */
  split_path?: string[];
}

/** `url_pattern` (current Caddy's `MatchURLPattern`): matches the URL by a WHATWG URL Pattern. */
export interface MatchUrlPattern {
  /** The URL pattern. */
  pattern: string;
  /** The base URL a relative pattern is resolved against. */
  base_url?: string;
  /** Match case-insensitively. */
  ignore_case?: boolean;
}

/** The `{name, pattern}` of regexp matchers; captures become `{http.regexp.NAME.N}`. */
export interface MatchRegexp {
  /** Name of the captures. */
  name?: string;
  /** A Go (RE2) regular expression. */
  pattern: string;
}

/** The schema of one matcher set. */
export const matcherSetSchema = s.modmap('http.matchers');

/** The schema of a route. */
export const routeSchema = s.obj<Route>({
  group: s.str,
  match: s.arr(matcherSetSchema),
  handle: s.arr(s.mod('http.handlers', 'handler')),
  terminal: s.bool,
});

/** The schema of an `errors` block. */
export const errorsSchema = s.obj<NonNullable<HttpServer['errors']>>({ routes: s.arr(routeSchema) });

/** The `{name, pattern}` shape of regexp matchers. */
export const regexpSchema = s.obj<MatchRegexp>({ name: s.str, pattern: s.str });

/** The schema of each matcher this runtime implements (`http.matchers.NAME`); `url_pattern` is not. */
export const httpMatcherSchemas = {
  host: s.strs,
  path: s.strs,
  path_regexp: regexpSchema,
  method: s.strs,
  header: s.map(s.nullable(s.strs)),
  header_regexp: s.map(regexpSchema),
  query: s.map(s.strs),
  protocol: s.str,
  remote_ip: s.obj({ ranges: s.strs }),
  client_ip: s.obj({ ranges: s.strs }),
  not: s.arr(matcherSetSchema),
  file: s.obj<MatchFile>({ fs: s.str, root: s.str, try_files: s.strs, try_policy: s.str, split_path: s.strs }),
  vars: s.map(s.strs),
  vars_regexp: s.map(regexpSchema),
  tls: s.obj({ handshake_complete: s.bool }),
  expression: s.oneOf('a CEL expression or {expr, name}', s.str, s.obj({ expr: s.str, name: s.str })),
} satisfies Fields<Omit<Known<MatcherSet>, 'url_pattern'>>;

/** The schema of an HTTP server. */
export const httpServerSchema = s.obj<HttpServer>({
  listen: s.strs,
  listener_wrappers: s.arr(s.mod('caddy.listeners', 'wrapper')),
  packet_conn_wrappers: s.any,
  read_timeout: s.dur,
  read_header_timeout: s.dur,
  read_idle_timeout: s.dur,
  read_min_rate: s.int,
  write_timeout: s.dur,
  write_idle_timeout: s.dur,
  write_min_rate: s.int,
  max_write_chunk: s.int,
  idle_timeout: s.dur,
  keepalive_interval: s.dur,
  keepalive_idle: s.dur,
  keepalive_count: s.int,
  max_header_bytes: s.int,
  enable_full_duplex: s.bool,
  expected_underscore_headers: s.strs,
  expected_dot_headers: s.strs,
  routes: s.arr(routeSchema),
  errors: errorsSchema,
  named_routes: s.map(routeSchema),
  tls_connection_policies: s.arr(connectionPolicySchema),
  automatic_https: s.obj<AutoHttpsConfig>({
    disable: s.bool,
    disable_redirects: s.bool,
    disable_certificates: s.bool,
    skip: s.strs,
    skip_certificates: s.strs,
    ignore_loaded_certificates: s.bool,
  }),
  strict_sni_host: s.bool,
  trusted_proxies: s.obj({ source: s.str, ranges: s.strs }, true),
  client_ip_headers: s.strs,
  trusted_proxies_strict: s.int,
  trusted_proxies_unix: s.bool,
  logs: s.obj<ServerLogConfig>({
    default_logger_name: s.str,
    logger_names: s.map(s.any),
    skip_hosts: s.strs,
    skip_unmapped_hosts: s.bool,
    should_log_credentials: s.bool,
    trace: s.bool,
  }),
  protocols: s.strs,
  listen_protocols: s.arr(s.nullable(s.strs)),
  allow_0rtt: s.bool,
  metrics: httpMetricsSchema,
});

/** The schema of the http app. */
export const httpAppSchema = s.obj<HttpApp>({
  http_port: s.int,
  https_port: s.int,
  grace_period: s.dur,
  shutdown_delay: s.dur,
  servers: s.map(httpServerSchema),
  metrics: httpMetricsSchema,
});
