/** @module layer4: types of caddy-l4's JSON (the `layer4` app, its listener wrapper, matchers, handlers). */
import type { AdaptedCaPool, AdaptedLeafVerifier, CertSelection } from './tls.js';

/** A caddy.Duration in JSON: integer nanoseconds, or a Go duration string ("3s", "250ms"). */
export type Layer4Duration = number | string;

/** `apps.layer4`. */
export interface Layer4App {
  servers?: Record<string, Layer4Server>;
}

/** One layer4 server: listen addresses and the routes its connections run through. */
export interface Layer4Server {
  /** Caddy network addresses: "tcp/:443", ":5432", "127.0.0.1:0", "udp/:53". */
  listen?: string[];
  routes?: Layer4Route[];
  /** UDP only: lifetime of a packet-conn association. */
  idle_timeout?: Layer4Duration;
  /** Bounds the whole matching phase of a connection. Default 3s. */
  matching_timeout?: Layer4Duration;
}

/** The `caddy.listeners.layer4` listener wrapper object in an http server's `listener_wrappers`. */
export interface Layer4ListenerWrapperConfig {
  wrapper?: 'layer4';
  routes?: Layer4Route[];
  matching_timeout?: Layer4Duration;
}

/** A route: matcher sets (OR-ed; matchers inside one set AND-ed) and a handler chain. */
export interface Layer4Route {
  match?: Layer4MatcherSet[];
  handle?: Layer4Handler[];
}

/** One matcher set: module name (`layer4.matchers.<name>`) to its config. */
export interface Layer4MatcherSet {
  tls?: Layer4TlsMatcher;
  postgres?: Layer4PostgresMatcher;
  http?: Layer4HttpMatcher;
  ssh?: Record<string, never>;
  remote_ip?: Layer4IpMatcher;
  local_ip?: Layer4IpMatcher;
  not?: Layer4MatcherSet[];
  proxy_protocol?: Record<string, never>;
  regexp?: Layer4RegexpMatcher;
  vars?: Layer4VarsMatcher;
  vars_regexp?: Layer4VarsRegexpMatcher;
  clock?: Layer4ClockMatcher;
  remote_ip_list?: Layer4RemoteIpListMatcher;
  socks4?: Layer4Socks4Matcher;
  socks5?: Layer4Socks5Matcher;
  xmpp?: Record<string, never>;
  dns?: Layer4DnsMatcher;
  rdp?: Layer4RdpMatcher;
  wireguard?: Layer4WireguardMatcher;
  /** QUIC client Initial (UDP): the same handshake matchers as `tls`, on the ClientHello inside. */
  quic?: Layer4TlsMatcher;
  /** OpenVPN client hard resets. */
  openvpn?: Layer4OpenVpnMatcher;
  /** MikroTik Winbox handshakes (not implemented by the runtime). */
  winbox?: Layer4WinboxMatcher;
  [module: string]: unknown;
}

/** `openvpn` (caddy-l4 `MatchOpenVPN`, struct order). */
export interface Layer4OpenVpnMatcher {
  /** Accepted modes: plain, auth, crypt, crypt2. */
  modes?: string[];
  /** Skip the HMAC / encryption checks. */
  ignore_crypto?: boolean;
  /** Skip the packet timestamp check. */
  ignore_timestamp?: boolean;
  /** Static group key (hex), inline. */
  group_key?: string;
  /** Static group key file. */
  group_key_file?: string;
  /** HMAC digest of auth mode. */
  auth_digest?: string;
  /** normal, inverse, bidi or bidirectional. */
  group_key_direction?: string;
  /** tls-crypt-v2 client keys (base64), inline. */
  client_keys?: string[];
  /** tls-crypt-v2 client key files. */
  client_key_files?: string[];
  /** tls-crypt-v2 server key (base64), inline. */
  server_key?: string;
  /** tls-crypt-v2 server key file. */
  server_key_file?: string;
}

/** `winbox` (caddy-l4 `MatchWinbox`, struct order). */
export interface Layer4WinboxMatcher {
  /** Accepted modes: standard, romon. */
  modes?: string[];
  /** Username to accept. */
  username?: string;
  /** Regular expression for the username. */
  username_regexp?: string;
}

/** The value of each known matcher module (`layer4.matchers.<name>`), by name. */
export type Layer4KnownMatchers = {
  [K in keyof Layer4MatcherSet as string extends K ? never : K]-?: Exclude<Layer4MatcherSet[K], undefined>;
};

/** `dns`: every question of the query must be allowed. */
export interface Layer4DnsMatcher {
  allow?: Layer4DnsRule[];
  deny?: Layer4DnsRule[];
  /** Questions no rule matches are denied (default: allowed). */
  default_deny?: boolean;
  /** A question matching both an allow and a deny rule is allowed (default: denied). */
  prefer_allow?: boolean;
}

/** A DNS rule; empty fields match anything. Names are fully qualified ("example.com."). */
export interface Layer4DnsRule {
  class?: string;
  class_regexp?: string;
  name?: string;
  name_regexp?: string;
  type?: string;
  type_regexp?: string;
}

/** `rdp` (struct order): conditions on the Connection Request's cookie, routing token or custom info. */
export interface Layer4RdpMatcher {
  cookie_hash?: string;
  cookie_hash_regexp?: string;
  cookie_ips?: string[];
  cookie_ports?: number[];
  custom_info?: string;
  custom_info_regexp?: string;
}

/** `wireguard`: `zero` = value of the reserved bytes of the message type (obfuscated clients). */
export interface Layer4WireguardMatcher {
  zero?: number;
}

/** `vars`: variable name (or `{placeholder}`) to accepted values. */
export type Layer4VarsMatcher = Record<string, string[]>;

/** `vars_regexp`: variable name (or `{placeholder}`) to a named pattern; captures become `{l4.regexp.<name>.<group>}`. */
export type Layer4VarsRegexpMatcher = Record<string, { name?: string; pattern: string }>;

/** `clock` (struct order after, before, timezone): "15:04:05" times, [after, before). */
export interface Layer4ClockMatcher {
  after?: string;
  before?: string;
  /** IANA time zone; default local. */
  timezone?: string;
}

/** `remote_ip_list`: a file of IPs/CIDRs, one per line, reloaded on change. */
export interface Layer4RemoteIpListMatcher {
  remote_ip_file: string;
}

/** `socks4` (struct order commands, networks, ports). */
export interface Layer4Socks4Matcher {
  /** CONNECT and/or BIND, in any case. */
  commands?: string[];
  networks?: string[];
  ports?: number[];
}

/** `socks5`: every offered auth method must be allowed (default 0, 1, 2). */
export interface Layer4Socks5Matcher {
  auth_methods?: number[];
}

/** `tls` matcher: `tls.handshake_match.*` module names to their config, AND-ed. */
export interface Layer4TlsMatcher {
  sni?: string[];
  sni_regexp?: { name?: string; pattern: string };
  alpn?: string[];
  remote_ip?: { ranges?: string[]; not_ranges?: string[] };
  local_ip?: { ranges?: string[] };
}

/** `postgres` matcher (struct order user, client, tls). */
export interface Layer4PostgresMatcher {
  /** user name ("*" = requests without a user parameter) to the databases it may reach (empty or null = any). */
  user?: Record<string, string[] | null>;
  /** Allowed `application_name` values. */
  client?: string[];
  /** "" = indifferent, "enabled" = SSLRequest only, "disabled" = anything but SSLRequest. */
  tls?: '' | 'enabled' | 'disabled';
}

/** `http` matcher: Caddy HTTP matcher sets, OR-ed. */
export type Layer4HttpMatcher = Layer4HttpRequestMatcherSet[];

/** The subset of Caddy's `http.matchers.*` the layer4 http matcher evaluates. */
export interface Layer4HttpRequestMatcherSet {
  host?: string[];
  path?: string[];
  method?: string[];
  header?: Record<string, string[] | null>;
  [module: string]: unknown;
}

/** `remote_ip` / `local_ip` matchers. */
export interface Layer4IpMatcher {
  ranges?: string[];
}

/** `regexp` matcher (struct order count, hex, pattern). */
export interface Layer4RegexpMatcher {
  /** Number of bytes read and matched. Default 4. */
  count?: number;
  /** Match against the upper-case hex of the bytes. */
  hex?: boolean;
  pattern: string;
}

/** Any handler object; `handler` is the module name under `layer4.handlers`. */
export type Layer4Handler = AdaptedLayer4Handler | { handler: string; [field: string]: unknown };

/** The handlers the adapter emits: `Layer4Handler` without its open member. */
export type AdaptedLayer4Handler =
  | Layer4TlsHandler
  | Layer4PostgresTlsHandler
  | Layer4ProxyHandler
  | Layer4ProxyProtocolHandler
  | Layer4SubrouteHandler
  | Layer4EchoHandler
  | Layer4CloseHandler
  | Layer4TeeHandler
  | Layer4ThrottleHandler
  | Layer4VarsHandler
  | Layer4Socks5Handler
  | Layer4InFlightConnHandler;

/** The load-balancing policies the adapter emits (`layer4.proxy.selection_policies.*`), named by `policy`. */
export type AdaptedLayer4SelectionPolicy =
  | { policy: 'first' | 'ip_hash' | 'least_conn' | 'random' | 'round_robin' | 'weighted_round_robin' }
  | { policy: 'random_choose' /** How many random upstreams to choose the least loaded from. */; choose?: number };

/** `tls` handler: terminates TLS with Caddy connection policies. */
export interface Layer4TlsHandler {
  handler: 'tls';
  connection_policies?: Layer4TlsConnectionPolicy[];
}

/** The parts of Caddy's `caddytls.ConnectionPolicy` the layer4 tls handler applies. */
export interface Layer4TlsConnectionPolicy {
  /** `tls.handshake_match.*` matchers (sni, sni_regexp, alpn, remote_ip, local_ip). */
  match?: Layer4TlsMatcher;
  certificate_selection?: CertSelection;
  cipher_suites?: string[];
  curves?: string[];
  /** Protocols offered in ALPN. Default ["h2", "http/1.1"]. */
  alpn?: string[];
  protocol_min?: 'tls1.2' | 'tls1.3';
  protocol_max?: 'tls1.2' | 'tls1.3';
  drop?: boolean;
  client_authentication?: Layer4TlsClientAuthentication;
  default_sni?: string;
  fallback_sni?: string;
  insecure_secrets_log?: string;
  handshake_context?: Record<string, unknown>;
}

/** `client_authentication` of a connection policy. */
export interface Layer4TlsClientAuthentication {
  /** A CA pool module; the runtime implements `inline` and `file`. */
  ca?: AdaptedCaPool;
  /** Base64 DER CA certificates. */
  trusted_ca_certs?: string[];
  trusted_ca_certs_pem_files?: string[];
  /** Base64 DER leaf certificates. */
  trusted_leaf_certs?: string[];
  /** Client certificate verifier modules (not implemented by the runtime). */
  verifiers?: AdaptedLeafVerifier[];
  /** request, require, verify_if_given or require_and_verify (checked at provision, as Caddy does); default require_and_verify with CAs, else require. */
  mode?: string;
}

/** `postgres_tls`: consumes an SSLRequest and answers 'S'; put `tls` after it. */
export interface Layer4PostgresTlsHandler {
  handler: 'postgres_tls';
}

/** `proxy` handler (struct order upstreams, health_checks, load_balancing, proxy_protocol). */
export interface Layer4ProxyHandler {
  handler: 'proxy';
  upstreams?: Layer4ProxyUpstream[];
  health_checks?: Layer4ProxyHealthChecks;
  load_balancing?: Layer4ProxyLoadBalancing;
  /** PROXY protocol header sent to upstreams. */
  proxy_protocol?: 'v1' | 'v2';
}

/** One upstream: dialled addresses (several = mirrored), TLS to it, limits. */
export interface Layer4ProxyUpstream {
  dial: string[];
  local_address?: string[];
  resolver_preference?: 'ipv4_only' | 'ipv6_only' | 'ipv4_first' | 'ipv6_first';
  tls?: Layer4ProxyUpstreamTls;
  max_connections?: number;
  weight?: number;
  /**
   * Extension (not in caddy-l4): "postgres" negotiates TLS with the upstream PostgreSQL-style (SSLRequest,
   * then the handshake) instead of direct TLS. Implies `tls` (an empty `tls` if absent).
   */
  starttls?: 'postgres';
}

/** The parts of Caddy's reverseproxy TLSConfig used for upstream TLS. */
export interface Layer4ProxyUpstreamTls {
  insecure_skip_verify?: boolean;
  /** May hold placeholders ({l4.tls.server_name}, {l4.vars.x}). */
  server_name?: string;
  root_ca_pem_files?: string[];
  handshake_timeout?: Layer4Duration;
  client_certificate_file?: string;
  client_certificate_key_file?: string;
  /** Name of a certificate managed by the tls app to present as client certificate. */
  client_certificate_automate?: string;
  /** A CA pool module to verify the upstream with (the runtime rejects it: not implemented yet). */
  ca?: AdaptedCaPool;
  renegotiation?: 'never' | 'once' | 'freely';
  curves?: string[];
  /** Ports dialled without TLS. */
  except_ports?: string[];
}

export interface Layer4ProxyHealthChecks {
  active?: {
    port?: number;
    interval?: Layer4Duration;
    timeout?: Layer4Duration;
    close_if_unhealthy?: boolean;
    fall?: number;
    rise?: number;
  };
  passive?: {
    fail_duration?: Layer4Duration;
    max_fails?: number;
    unhealthy_connection_count?: number;
  };
}

export interface Layer4ProxyLoadBalancing {
  selection?: {
    policy: 'first' | 'ip_hash' | 'least_conn' | 'random' | 'random_choose' | 'round_robin' | 'weighted_round_robin';
    choose?: number;
    [field: string]: unknown;
  };
  try_duration?: Layer4Duration;
  try_interval?: Layer4Duration;
}

/** `proxy_protocol` handler: accepts a PROXY v1/v2 header from allowed sources. */
export interface Layer4ProxyProtocolHandler {
  handler: 'proxy_protocol';
  timeout?: Layer4Duration;
  allow?: string[];
  deny?: string[];
  fallback_policy?: 'IGNORE' | 'USE' | 'REJECT' | 'REQUIRE' | 'SKIP';
}

export interface Layer4SubrouteHandler {
  handler: 'subroute';
  routes?: Layer4Route[];
  matching_timeout?: Layer4Duration;
}

export interface Layer4EchoHandler {
  handler: 'echo';
}

export interface Layer4CloseHandler {
  handler: 'close';
}

/** `tee`: runs a branch of handlers on a copy of the stream, then continues the chain. */
export interface Layer4TeeHandler {
  handler: 'tee';
  branch?: Layer4Handler[];
}

export interface Layer4ThrottleHandler {
  handler: 'throttle';
  read_bytes_per_second?: number;
  read_burst_size?: number;
  total_read_bytes_per_second?: number;
  total_read_burst_size?: number;
  latency?: Layer4Duration;
}

/** `vars` handler: sets `{l4.vars.<name>}` (keys and string values may hold placeholders). */
export interface Layer4VarsHandler {
  handler: 'vars';
  [name: string]: unknown;
}

/** `socks5` handler (terminal). BIND is answered "command not supported". */
export interface Layer4Socks5Handler {
  handler: 'socks5';
  /** CONNECT, ASSOCIATE and/or BIND, in any case. Default CONNECT and ASSOCIATE. */
  commands?: string[];
  /** Local IP for outgoing connections and the UDP relay. */
  bind_ip?: string;
  /** user -> password; enables RFC 1929 authentication. */
  credentials?: Record<string, string>;
}

/**
 * `in_flight_conn` (proxy's own, not in caddy-l4): at most `amount` simultaneous connections per client IP go on
 * through it; the others are closed. Traefik's TCP `inFlightConn` middleware.
 */
export interface Layer4InFlightConnHandler {
  handler: 'in_flight_conn';
  amount: number;
}
