/** @module reverse-proxy: the `reverse_proxy` handler (`reverseproxy.Handler`). */
import type { Duration } from './core.js';
import { matcherSetSchema, type MatcherSet } from './http.js';
import {
  headerOpsSchema,
  respHeaderOpsSchema,
  responseHandlerSchema,
  rewriteSchema,
  type HeaderOps,
  type RespHeaderOps,
  type ResponseHandler,
  type RewriteHandler,
} from './handlers.js';
import { s, type Own, type Schema } from './schema.js';

/** `reverse_proxy`: proxies requests to upstreams. */
export interface ReverseProxyHandler {
  handler: 'reverse_proxy';
  /** The transport (`http.reverse_proxy.transport.*`), http by default. */
  transport?: HttpTransport | FastcgiTransport;
  /** Circuit breaker module. */
  circuit_breaker?: { type: string; [f: string]: unknown };
  /** Load balancing. */
  load_balancing?: LoadBalancing;
  /** Health checks. */
  health_checks?: { active?: ActiveHealthChecks; passive?: PassiveHealthChecks };
  /** Static upstreams. */
  upstreams?: Upstream[];
  /** Dynamic upstreams module (`http.reverse_proxy.upstreams.*`). */
  dynamic_upstreams?: UpstreamSource;
  /** Flush interval (-1 for immediate). */
  flush_interval?: Duration;
  /** Trusted proxies for X-Forwarded-* headers. */
  trusted_proxies?: string[];
  /** Header operations on the request up and the response down. */
  headers?: { request?: HeaderOps; response?: RespHeaderOps };
  /** Buffer request bodies up to this size. */
  request_buffers?: number;
  /** Buffer response bodies up to this size. */
  response_buffers?: number;
  /** Deprecated: the buffer limit of `buffer_requests`/`buffer_responses`; the Caddyfile's `max_buffer_size` sets it, alone it does nothing. */
  max_buffer_size?: number;
  /** Timeout for streaming (upgraded) connections. */
  stream_timeout?: Duration;
  /** Buffer size for streaming. */
  stream_buffer_size?: number;
  /** Delay before closing streams on config unload. */
  stream_close_delay?: Duration;
  /** Rewrite of the upstream request. */
  rewrite?: Omit<RewriteHandler, 'handler'>;
  /** Response handlers. */
  handle_response?: ResponseHandler[];
  /** Verbose logs. */
  verbose_logs?: boolean;
}

/** An upstream (`reverseproxy.Upstream`). */
export interface Upstream {
  /** The dial address, e.g. "127.0.0.1:8080". */
  dial?: string;
  /** Maximum simultaneous requests. */
  max_requests?: number;
}

/** Load balancing (`reverseproxy.LoadBalancing`). */
export interface LoadBalancing {
  /** The selection policy (`http.reverse_proxy.selection_policies.*`). */
  selection_policy?: {
    policy: string;
    key?: string;
    field?: string;
    name?: string;
    secret?: string;
    max_age?: Duration;
    fallback?: { policy: string };
    weights?: number[];
    choose?: number;
    [f: string]: unknown;
  };
  /** How many times to retry. */
  retries?: number;
  /** How long to keep trying. */
  try_duration?: Duration;
  /** Interval between tries. */
  try_interval?: Duration;
  /** Requests eligible for retry after the request was sent. */
  retry_match?: MatcherSet[];
}

/** Active health checks (`reverseproxy.ActiveHealthChecks`). */
export interface ActiveHealthChecks {
  /** Deprecated path to check. */
  path?: string;
  /** URI to check. */
  uri?: string;
  /** Upstream to check instead of the dial address. */
  upstream?: string;
  /** Port to check. */
  port?: number;
  /** Headers to send. */
  headers?: Record<string, string[]>;
  /** Method to use. */
  method?: string;
  /** Body to send. */
  body?: string;
  /** Follow redirects. */
  follow_redirects?: boolean;
  /** Check interval (default 30s). */
  interval?: Duration;
  /** Check timeout (default 5s). */
  timeout?: Duration;
  /** Passes before healthy. */
  passes?: number;
  /** Fails before unhealthy. */
  fails?: number;
  /** Max body size to read. */
  max_size?: number;
  /** Expected status code. */
  expect_status?: number;
  /** Expected body regexp. */
  expect_body?: string;
}

/** Passive health checks (`reverseproxy.PassiveHealthChecks`). */
export interface PassiveHealthChecks {
  /** How long to remember a failure. */
  fail_duration?: Duration;
  /** Failures before unhealthy. */
  max_fails?: number;
  /** Concurrent requests before unhealthy. */
  unhealthy_request_count?: number;
  /** Status codes counted as failures. */
  unhealthy_status?: number[];
  /** Latency counted as failure. */
  unhealthy_latency?: Duration;
}

/** The HTTP transport (`reverseproxy.HTTPTransport`). */
export interface HttpTransport {
  /** Module name, "http". */
  protocol: 'http';
  /** DNS resolver. */
  resolver?: { addresses?: string[] };
  /** TLS to upstreams; present turns TLS on. */
  tls?: {
    ca?: unknown;
    root_ca_pool?: string[];
    root_ca_pem_files?: string[];
    client_certificate_file?: string;
    client_certificate_key_file?: string;
    client_certificate_automate?: string;
    insecure_skip_verify?: boolean;
    handshake_timeout?: Duration;
    server_name?: string;
    renegotiation?: string;
    except_ports?: string[];
    curves?: string[];
  };
  /** Keep-alive settings. */
  keep_alive?: {
    enabled?: boolean;
    probe_interval?: Duration;
    max_idle_conns?: number;
    max_idle_conns_per_host?: number;
    idle_timeout?: Duration;
  };
  /** Enable compression to upstreams. */
  compression?: boolean;
  /** Max connections per host. */
  max_conns_per_host?: number;
  /** PROXY protocol version to send. */
  proxy_protocol?: string;
  /** Deprecated forward proxy URL. */
  forward_proxy_url?: string;
  /** Dial timeout. */
  dial_timeout?: Duration;
  /** Dial fallback delay. */
  dial_fallback_delay?: Duration;
  /** Response header timeout. */
  response_header_timeout?: Duration;
  /** Expect-continue timeout. */
  expect_continue_timeout?: Duration;
  /** Max response header size. */
  max_response_header_size?: number;
  /** Write buffer size. */
  write_buffer_size?: number;
  /** Read buffer size. */
  read_buffer_size?: number;
  /** Read timeout. */
  read_timeout?: Duration;
  /** Write timeout. */
  write_timeout?: Duration;
  /** HTTP versions to use: "1.1", "2", "3". */
  versions?: string[];
  /** Local address to dial from. */
  local_address?: string;
  /** Network proxy module. */
  network_proxy?: { from: string; [f: string]: unknown };
}

/** The FastCGI transport (`reverseproxy.fastcgi.Transport`). */
export interface FastcgiTransport {
  /** Module name, "fastcgi". */
  protocol: 'fastcgi';
  /** The document root on the FastCGI server. */
  root?: string;
  /** Substrings that split the path into the script name and PATH_INFO. */
  split_path?: string[];
  /** Resolve the root through symlinks. */
  resolve_root_symlink?: boolean;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Dial timeout. */
  dial_timeout?: Duration;
  /** Read timeout. */
  read_timeout?: Duration;
  /** Write timeout. */
  write_timeout?: Duration;
  /** Log the server's stderr even on success. */
  capture_stderr?: boolean;
}

/** Dynamic upstreams from DNS A/AAAA records (`http.reverse_proxy.upstreams.a`). */
export interface DynamicAUpstreams {
  /** Module name, "a". */
  source: 'a';
  /** The name to look up. */
  name?: string;
  /** The port of every upstream. */
  port?: string;
  /** How long to keep a lookup. */
  refresh?: Duration;
  /** DNS resolver. */
  resolver?: { addresses?: string[] };
  /** Dial timeout of the lookups. */
  dial_timeout?: Duration;
  /** Dial fallback delay of the lookups. */
  dial_fallback_delay?: Duration;
  /** Which address families to look up. */
  versions?: { ipv4?: boolean; ipv6?: boolean };
}

/** Dynamic upstreams from DNS SRV records (`http.reverse_proxy.upstreams.srv`; the runtime does not build it). */
export interface SrvUpstreams {
  /** Module name, "srv". */
  source: 'srv';
  /** The service label. */
  service?: string;
  /** The protocol label. */
  proto?: string;
  /** The name to look up (or the whole SRV name). */
  name?: string;
  /** How long to keep a lookup. */
  refresh?: Duration;
  /** How long to keep using stale results when a lookup fails (current Caddy). */
  grace_period?: Duration;
  /** DNS resolver. */
  resolver?: { addresses?: string[] };
  /** Dial timeout of the lookups. */
  dial_timeout?: Duration;
  /** Dial fallback delay of the lookups. */
  dial_fallback_delay?: Duration;
}

/** The upstreams of several sources together (`http.reverse_proxy.upstreams.multi`; the runtime does not build it). */
export interface MultiUpstreams {
  /** Module name, "multi". */
  source: 'multi';
  /** The sources, in order. */
  sources?: UpstreamSource[];
}

/** A dynamic upstreams module (`http.reverse_proxy.upstreams.*`). */
export type UpstreamSource = DynamicAUpstreams | SrvUpstreams | MultiUpstreams;

/** A selection policy module (`http.reverse_proxy.selection_policies.*`). */
export type SelectionPolicy = NonNullable<LoadBalancing['selection_policy']>;

type NoFields = Record<string, never>;

/** The fields of each selection policy besides `policy`, by name. */
export interface SelectionPolicies {
  random: NoFields;
  least_conn: NoFields;
  round_robin: NoFields;
  first: NoFields;
  ip_hash: NoFields;
  client_ip_hash: NoFields;
  uri_hash: NoFields;
  /** Picks the least loaded of `choose` random upstreams. */
  random_choose: { choose?: number };
  /** One weight per upstream. */
  weighted_round_robin: { weights?: number[] };
  /** Hashes a query argument; `fallback` when it is absent. */
  query: { key?: string; fallback?: SelectionPolicy };
  /** Hashes a header field; `fallback` when it is absent. */
  header: { field?: string; fallback?: SelectionPolicy };
  /** Sticks to the upstream named in a cookie. */
  cookie: { name?: string; secret?: string; max_age?: Duration; fallback?: SelectionPolicy };
}

const SELECTION = 'http.reverse_proxy.selection_policies';
const fallback = s.mod(SELECTION, 'policy');

/** The schema of each selection policy (`http.reverse_proxy.selection_policies.NAME`). */
export const selectionPolicySchemas = {
  random: s.obj({}),
  least_conn: s.obj({}),
  round_robin: s.obj({}),
  first: s.obj({}),
  ip_hash: s.obj({}),
  client_ip_hash: s.obj({}),
  uri_hash: s.obj({}),
  random_choose: s.obj({ choose: s.int }),
  weighted_round_robin: s.obj({ weights: s.arr(s.int) }),
  query: s.obj({ key: s.str, fallback }),
  header: s.obj({ field: s.str, fallback }),
  cookie: s.obj({ name: s.str, secret: s.str, max_age: s.dur, fallback }),
} satisfies { [K in keyof SelectionPolicies]: Schema<SelectionPolicies[K]> };

export const reverseProxySchema = s.obj<Own<ReverseProxyHandler, 'handler'>>({
  transport: s.mod('http.reverse_proxy.transport', 'protocol'),
  circuit_breaker: s.any,
  load_balancing: s.obj<LoadBalancing>({
    selection_policy: s.mod(SELECTION, 'policy'),
    retries: s.int,
    try_duration: s.dur,
    try_interval: s.dur,
    retry_match: s.arr(matcherSetSchema),
  }),
  health_checks: s.obj({
    active: s.obj<ActiveHealthChecks>({
      path: s.str,
      uri: s.str,
      upstream: s.str,
      port: s.int,
      headers: s.map(s.strs),
      method: s.str,
      body: s.str,
      follow_redirects: s.bool,
      interval: s.dur,
      timeout: s.dur,
      passes: s.int,
      fails: s.int,
      max_size: s.int,
      expect_status: s.int,
      expect_body: s.str,
    }),
    passive: s.obj<PassiveHealthChecks>({
      fail_duration: s.dur,
      max_fails: s.int,
      unhealthy_request_count: s.int,
      unhealthy_status: s.arr(s.int),
      unhealthy_latency: s.dur,
    }),
  }),
  upstreams: s.arr(s.obj<Upstream>({ dial: s.str, max_requests: s.int })),
  dynamic_upstreams: s.mod('http.reverse_proxy.upstreams', 'source'),
  flush_interval: s.dur,
  trusted_proxies: s.strs,
  headers: s.obj({ request: headerOpsSchema, response: respHeaderOpsSchema }),
  request_buffers: s.int,
  response_buffers: s.int,
  max_buffer_size: s.int,
  stream_timeout: s.dur,
  stream_buffer_size: s.int,
  stream_close_delay: s.dur,
  rewrite: rewriteSchema,
  handle_response: s.arr(responseHandlerSchema),
  verbose_logs: s.bool,
});

/** The schema of the `http` transport. */
export const httpTransportSchema = s.obj<Own<HttpTransport, 'protocol'>>({
  resolver: s.obj({ addresses: s.strs }),
  tls: s.obj({
    ca: s.any,
    root_ca_pool: s.strs,
    root_ca_pem_files: s.strs,
    client_certificate_file: s.str,
    client_certificate_key_file: s.str,
    client_certificate_automate: s.str,
    insecure_skip_verify: s.bool,
    handshake_timeout: s.dur,
    server_name: s.str,
    renegotiation: s.str,
    except_ports: s.strs,
    curves: s.strs,
  }),
  keep_alive: s.obj({
    enabled: s.bool,
    probe_interval: s.dur,
    max_idle_conns: s.int,
    max_idle_conns_per_host: s.int,
    idle_timeout: s.dur,
  }),
  compression: s.bool,
  max_conns_per_host: s.int,
  proxy_protocol: s.str,
  forward_proxy_url: s.str,
  dial_timeout: s.dur,
  dial_fallback_delay: s.dur,
  response_header_timeout: s.dur,
  expect_continue_timeout: s.dur,
  max_response_header_size: s.int,
  write_buffer_size: s.int,
  read_buffer_size: s.int,
  read_timeout: s.dur,
  write_timeout: s.dur,
  versions: s.strs,
  local_address: s.str,
  network_proxy: s.any,
});

/** The schema of the fastcgi transport. */
export const fastcgiTransportSchema = s.obj<Own<FastcgiTransport, 'protocol'>>({
  root: s.str,
  split_path: s.strs,
  resolve_root_symlink: s.bool,
  env: s.map(s.str),
  dial_timeout: s.dur,
  read_timeout: s.dur,
  write_timeout: s.dur,
  capture_stderr: s.bool,
});

/** The schema of the `a` dynamic upstreams. */
export const aUpstreamsSchema = s.obj<Own<DynamicAUpstreams, 'source'>>({
  name: s.str,
  port: s.str,
  refresh: s.dur,
  resolver: s.obj({ addresses: s.strs }),
  dial_timeout: s.dur,
  dial_fallback_delay: s.dur,
  versions: s.obj({ ipv4: s.bool, ipv6: s.bool }),
});
