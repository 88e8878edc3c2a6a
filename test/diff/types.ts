/**
 * @module diff/types: the shapes shared by the differential suite (caddy run vs proxy run).
 *
 * A scenario is one Caddyfile served by both servers and a list of requests sent to each. Placeholders in the
 * Caddyfile, raw requests, paths and header values are filled per server:
 *   {{PORT}} {{PORT2}}  ports of this server (distinct for caddy and proxy; normalised back before comparing)
 *   {{ROOT}}            the shared fixture site root (read-only)
 *   {{UP1}} {{UP2}} {{UP3}} {{DEAD}}  host:port of the echo upstreams (UP3 fails its health check) and of a closed port
 *   {{PHP}}             host:port of php-cgi (scenarios with needs: 'php-cgi' only)
 *   {{LOG}}             this server's access-log file (JSON lines)
 */

/** One request. HTTP/1.x requests are written byte for byte on a raw socket so malformed input stays malformed. */
export interface Req {
  /** Names the request in tables and reports; defaults to `METHOD path`. */
  label?: string;
  method?: string;
  path?: string;
  /** Extra request headers, in order. A Host header here replaces the default `localhost:{{PORT}}`. */
  headers?: [string, string][];
  /** Sends no Host header at all (HTTP/1.0 style). */
  noHost?: boolean;
  body?: string;
  /** Sends the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
  /** Protocol: '1.1' (default), '1.0', or '2' (HTTP/2 over TLS with ALPN, or h2c prior knowledge without TLS). */
  http?: '1.0' | '1.1' | '2';
  /** Overrides the scenario's TLS setting for this request. */
  tls?: boolean;
  /** TLS SNI (defaults to 'localhost'). */
  servername?: string;
  /** Which listener: the first port (default) or the second. */
  port?: 'PORT' | 'PORT2';
  /** Raw bytes to send instead of building a request (placeholders filled). Responses are read until close/idle. */
  raw?: string;
  /** Raw bytes sent once the first response has arrived (e.g. data through an upgraded connection). */
  afterResponse?: string;
  /** Number of responses to wait for on a raw connection (default 1). */
  responses?: number;
  /** Gives up after this long (default 5 s), e.g. for caddy's deliberately slow bcrypt of unknown users. */
  timeoutMs?: number;
  /** Waits this long before sending (e.g. for a first active health check); keep it short. */
  sleepMs?: number;
  /** Response headers (lower case) this request does not compare, on top of the global list. */
  ignoreHeaders?: string[];
  /**
   * How bodies compare: exactly (default), only their length, not at all (status/headers still compare), or
   * 'html': exactly after formatting is taken out (whitespace runs collapsed to one space and dropped next to
   * markup and CSS punctuation, see compare.ts `layoutFree`), for pages whose templates differ in layout only.
   */
  body_?: 'exact' | 'length' | 'ignore' | 'html';
}

export interface Scenario {
  name: string;
  /** Site blocks (and snippets). The harness adds a global block with `admin off` and `skip_install_trust`. */
  caddyfile: string;
  /**
   * What caddy 2.6.2 runs instead, when current Caddy's syntax for the same behaviour does not exist in 2.6.2
   * (e.g. the client_ip matcher, which 2.6.2 spells `remote_ip forwarded`). proxy always runs `caddyfile`.
   */
  caddyfile262?: string;
  /** Global options for caddy 2.6.2 when `caddyfile262` is given (defaults to `global`). */
  global262?: string;
  /** Extra global options, one per line. */
  global?: string;
  /** Requests use TLS (the site uses `tls internal`). */
  tls?: boolean;
  /** The server name start-up waits to get a certificate for (default localhost). */
  sni?: string;
  /** The Caddyfile has a second listener on {{PORT2}}. */
  port2?: boolean;
  requests: Req[];
  /** Compare the JSON key set of the first access-log line and the number of lines (the Caddyfile logs to {{LOG}}). */
  log?: boolean;
  /** Skipped when the tool is missing. */
  needs?: 'php-cgi';
  /** Extra normalisations applied to both sides' bodies and header values before comparing. */
  normalize?: [RegExp, string][];
}

/** One parsed HTTP response. */
export interface Resp {
  status: number;
  /** Lower-case name -> values in order received. */
  headers: Map<string, string[]>;
  body: Buffer;
  /** How the body was framed on the wire (HTTP/2 responses say 'h2'). */
  framing: 'length' | 'chunked' | 'close' | 'none' | 'h2';
}

/** What one server did with one request. */
export interface Observed {
  responses: Resp[];
  /** The connection ended (reset or closed) before the expected responses arrived, or another client error. */
  error?: string;
}

/** An expectation used by the pinned table: a partial response. A header value null means "absent". */
export interface Expect {
  status?: number;
  headers?: Record<string, string | null>;
  body?: string;
  /** Access-log key paths current Caddy adds to / drops from 2.6.2's (request label '(access log)'). */
  logKeys?: { add?: string[]; remove?: string[] };
}

/** A difference where 2.6.2 and current Caddy disagree: the suite checks proxy against `master`. */
export interface Pinned {
  scenario: string;
  /** The request label; every request of the scenario when absent. */
  request?: string;
  caddy262: Expect;
  master: Expect;
  /** What 2.6.2 does vs master, in words. */
  what: string;
  why: string;
  ref: string;
}

/** A difference someone is fixing now; the lead removes the entry after merging the fix. */
export interface KnownDefect {
  defect: number | string;
  scenario: string;
  /** The request label; any request of the scenario when absent. */
  request?: string;
  note: string;
}

/**
 * A 2.6.2-vs-master difference that holds across scenarios (a header master adds to a kind of response). It
 * rewrites caddy 2.6.2's normalized answer into master's, or returns undefined where it does not apply.
 */
export interface PinnedRule {
  name: string;
  master: (
    resp: import('./compare.js').Normalized,
    req: Req,
    sc: Scenario,
  ) => import('./compare.js').Normalized | undefined;
  what: string;
  why: string;
  ref: string;
}
