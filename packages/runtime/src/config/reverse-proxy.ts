/** @module config/reverse-proxy: the `reverse_proxy` handler (`reverseproxy.Handler`). */
import type { Duration } from './core.js';
import type { MatcherSet, Route } from './http.js';
import type { HeaderOps, RespHeaderOps } from './handlers.js';

/** `reverse_proxy`: proxies requests to upstreams. */
export interface ReverseProxyHandler {
  handler: 'reverse_proxy';
  /** The transport (`http.reverse_proxy.transport.*`), http by default. */
  transport?: HttpTransport;
  /** Circuit breaker module. */
  circuit_breaker?: { type: string; [f: string]: unknown };
  /** Load balancing. */
  load_balancing?: LoadBalancing;
  /** Health checks. */
  health_checks?: { active?: ActiveHealthChecks; passive?: PassiveHealthChecks };
  /** Static upstreams. */
  upstreams?: Upstream[];
  /** Dynamic upstreams module. */
  dynamic_upstreams?: { source: string; [f: string]: unknown };
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
  /** Timeout for streaming (upgraded) connections. */
  stream_timeout?: Duration;
  /** Buffer size for streaming. */
  stream_buffer_size?: number;
  /** Delay before closing streams on config unload. */
  stream_close_delay?: Duration;
  /** Rewrite of the upstream request. */
  rewrite?: { method?: string; uri?: string };
  /** Response handlers. */
  handle_response?: Array<{ match?: { status_code?: number[]; headers?: Record<string, string[]> }; status_code?: number | string; routes?: Route[] }>;
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
  selection_policy?: { policy: string; key?: string; field?: string; name?: string; fallback?: { policy: string }; weights?: number[]; choose?: number; [f: string]: unknown };
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
  protocol: string;
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
  keep_alive?: { enabled?: boolean; probe_interval?: Duration; max_idle_conns?: number; max_idle_conns_per_host?: number; idle_timeout?: Duration };
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
