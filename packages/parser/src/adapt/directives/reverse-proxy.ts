/**
 * @module reverse-proxy: the `reverse_proxy` handler directive (Caddy's `reverseproxy.Handler.UnmarshalCaddyfile`
 * and `FinalizeUnmarshalCaddyfile`); php_fastcgi and forward_auth reuse `parseReverseProxy`.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { Helper } from '../helper.js';
import type {
  FastcgiTransport,
  HttpTransport,
  LoadBalancing,
  MatcherSet,
  Own,
  ResponseHandler,
  ReverseProxyHandler,
  RewriteHandler,
} from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { appendField, atoi, omitZero, parseBytes } from './common.js';
import { applyHeaderOp, type HeaderOps } from './header-ops.js';
import { ResponseHandlers } from './response-handlers.js';
import { parseUpstreamSource } from './reverse-proxy-dynamic.js';
import { healthSubdirective } from './reverse-proxy-health.js';
import { parseSelectionPolicy } from './reverse-proxy-lb-policies.js';
import { parseFastcgiTransport } from './reverse-proxy-transport-fastcgi.js';
import { parseHttpTransport } from './reverse-proxy-transport-http.js';
import { Upstreams } from './reverse-proxy-upstreams.js';
import { caddyDurationNs, PRIVATE_RANGES } from '@proxy/contract';
import { guestModules, type ModuleOfKind, type Subdirective } from '../module.js';
import { lookup } from '../modules.js';

export const TRANSPORTS = guestModules(
  'http-transport',
  { http: parseHttpTransport, fastcgi: parseFastcgiTransport },
  {
    http: {
      syntax: 'http { read_buffer; write_buffer; dial_timeout; tls; tls_*; keepalive; versions; ... }',
      doc: 'Proxies over HTTP (1.1, 2, h2c or 3), optionally with TLS.',
      subdirectives: [
        { name: 'read_buffer', syntax: 'read_buffer <size>', doc: 'The read buffer size.' },
        { name: 'write_buffer', syntax: 'write_buffer <size>', doc: 'The write buffer size.' },
        {
          name: 'max_response_header',
          syntax: 'max_response_header <size>',
          doc: 'The largest response head accepted.',
        },
        { name: 'dial_timeout', syntax: 'dial_timeout <duration>', doc: 'How long to wait to connect.' },
        {
          name: 'dial_fallback_delay',
          syntax: 'dial_fallback_delay <duration>',
          doc: 'How long to wait before trying the other IP family.',
        },
        {
          name: 'response_header_timeout',
          syntax: 'response_header_timeout <duration>',
          doc: 'How long to wait for the response head.',
        },
        {
          name: 'expect_continue_timeout',
          syntax: 'expect_continue_timeout <duration>',
          doc: 'How long to wait for 100 Continue.',
        },
        { name: 'read_timeout', syntax: 'read_timeout <duration>', doc: 'How long a read may take.' },
        { name: 'write_timeout', syntax: 'write_timeout <duration>', doc: 'How long a write may take.' },
        { name: 'resolvers', syntax: 'resolvers <addrs...>', doc: 'DNS resolvers for upstream names.' },
        { name: 'proxy_protocol', syntax: 'proxy_protocol v1|v2', doc: 'Sends a PROXY protocol header.' },
        { name: 'tls', syntax: 'tls', doc: 'Uses TLS to the upstream.' },
        {
          name: 'tls_client_auth',
          syntax: 'tls_client_auth <automate_name> | <cert_file> <key_file>',
          doc: 'The client certificate for the upstream.',
        },
        {
          name: 'tls_insecure_skip_verify',
          syntax: 'tls_insecure_skip_verify',
          doc: "Does not verify the upstream's certificate.",
        },
        { name: 'tls_curves', syntax: 'tls_curves <curves...>', doc: 'The key exchange curves offered.' },
        { name: 'tls_timeout', syntax: 'tls_timeout <duration>', doc: 'How long the TLS handshake may take.' },
        {
          name: 'tls_trusted_ca_certs',
          syntax: 'tls_trusted_ca_certs <pem_files...>',
          doc: 'Deprecated: CA certificates to trust (use tls_trust_pool).',
        },
        { name: 'tls_trust_pool', syntax: 'tls_trust_pool <module> [...]', doc: 'The CA pool to trust.' },
        { name: 'tls_server_name', syntax: 'tls_server_name <sni>', doc: 'The server name sent to the upstream.' },
        {
          name: 'tls_renegotiation',
          syntax: 'tls_renegotiation never|once|freely',
          doc: 'Whether the upstream may renegotiate.',
        },
        { name: 'tls_except_ports', syntax: 'tls_except_ports <ports...>', doc: 'Ports to reach without TLS.' },
        { name: 'keepalive', syntax: 'keepalive off|<duration>', doc: 'Idle connection timeout, or off.' },
        { name: 'keepalive_interval', syntax: 'keepalive_interval <duration>', doc: 'The TCP keepalive interval.' },
        { name: 'keepalive_idle_conns', syntax: 'keepalive_idle_conns <int>', doc: 'The most idle connections kept.' },
        {
          name: 'keepalive_idle_conns_per_host',
          syntax: 'keepalive_idle_conns_per_host <int>',
          doc: 'The most idle connections kept per host.',
        },
        { name: 'max_conns_per_host', syntax: 'max_conns_per_host <int>', doc: 'The most connections per host.' },
        { name: 'versions', syntax: 'versions <1.1|2|h2c|3...>', doc: 'The HTTP versions to use.' },
        { name: 'compression', syntax: 'compression off', doc: 'Does not ask upstreams for compressed responses.' },
      ],
    },
    fastcgi: {
      syntax:
        'fastcgi { root; split; env; resolve_root_symlink; dial_timeout; read_timeout; write_timeout; capture_stderr }',
      doc: 'Proxies over FastCGI (e.g. to PHP-FPM).',
      subdirectives: [
        { name: 'root', syntax: 'root <path>', doc: 'The root the backend sees.' },
        { name: 'split', syntax: 'split <substrings...>', doc: 'Splits the path into script and PATH_INFO.' },
        { name: 'env', syntax: 'env <key> <value>', doc: 'Sets a FastCGI environment variable.' },
        { name: 'resolve_root_symlink', syntax: 'resolve_root_symlink', doc: 'Resolves the root if it is a symlink.' },
        { name: 'dial_timeout', syntax: 'dial_timeout <duration>', doc: 'How long to wait to connect.' },
        { name: 'read_timeout', syntax: 'read_timeout <duration>', doc: 'How long a read may take.' },
        { name: 'write_timeout', syntax: 'write_timeout <duration>', doc: 'How long a write may take.' },
        { name: 'capture_stderr', syntax: 'capture_stderr', doc: "Logs the backend's stderr." },
      ],
    },
  },
);

/** A parsed transport: module name and fields. */
type Transport =
  | { name: 'http'; fields: Own<HttpTransport, 'protocol'> }
  | { name: 'fastcgi'; fields: Own<FastcgiTransport, 'protocol'> };

/** Whether a transport supports TLS (Caddy's `TLSTransport`): only http does. */
function isTLSTransport(t: Transport): t is Extract<Transport, { name: 'http' }> {
  return t.name === 'http';
}

/** The reverse_proxy handler's fields while they are parsed. */
export type ReverseProxyFields = StructFields<ReverseProxyHandler>;

function durationOrInt(d: Dispenser): number {
  if (!d.nextArg()) throw d.argErr();
  const n = atoi(d.val());
  if (typeof n === 'number') return n;
  const v = caddyDurationNs(d.val());
  if (typeof v === 'string') throw d.err(`bad duration value '${d.val()}': ${v}`);
  return v;
}

function bufferSize(d: Dispenser, val: string): number {
  if (val === 'unlimited') return -1;
  const n = parseBytes(val);
  if (typeof n === 'string') throw d.err(`invalid byte size '${val}': ${n}`);
  return n;
}

/** Fields set before the user's tokens are read (php_fastcgi's transport, forward_auth's defaults). */
export interface ReverseProxyPreset {
  handler?: ReverseProxyFields;
  handleResponse?: ResponseHandler[];
}

/**
 * Parses a reverse_proxy segment from `d` (cursor before the directive name) into the handler's fields
 * (not yet a module object). `h` parses handle_response blocks.
 */
export function parseReverseProxy(d: Dispenser, h: Helper, preset: ReverseProxyPreset = {}): ReverseProxyFields {
  const handler: ReverseProxyFields = preset.handler ?? {};
  const upstreams = new Upstreams();
  const responses = new ResponseHandlers(preset.handleResponse);
  let transport: Transport | undefined;
  const presetTransport = handler.transport !== undefined;
  const lb = (): LoadBalancing => (handler.load_balancing ??= {});
  const headers = (): NonNullable<ReverseProxyHandler['headers']> => (handler.headers ??= {});
  const rewrite = (): Omit<RewriteHandler, 'handler'> => (handler.rewrite ??= {});

  d.next();
  for (const up of d.remainingArgs()) upstreams.append(d, up);

  while (d.nextBlock(0)) {
    if (responses.tryParse(d)) continue;
    if (healthSubdirective(d, handler)) continue;
    const sub = d.val();
    switch (sub) {
      case 'to': {
        const args = d.remainingArgs();
        if (args.length === 0) throw d.argErr();
        for (const up of args) upstreams.append(d, up);
        break;
      }
      case 'dynamic':
        if (!d.nextArg()) throw d.argErr();
        if (handler.dynamic_upstreams !== undefined) throw d.err('dynamic upstreams already specified');
        handler.dynamic_upstreams = parseUpstreamSource(d);
        break;
      case 'lb_policy':
        if (!d.nextArg()) throw d.argErr();
        if (handler.load_balancing && lb().selection_policy !== undefined) {
          throw d.err('load balancing selection policy already specified');
        }
        lb().selection_policy = parseSelectionPolicy(d);
        break;
      case 'lb_retries': {
        if (!d.nextArg()) throw d.argErr();
        const n = atoi(d.val());
        if (typeof n === 'string') throw d.err(`bad lb_retries number '${d.val()}': ${n}`);
        lb().retries = n;
        break;
      }
      case 'lb_try_duration':
      case 'lb_try_interval': {
        if (!d.nextArg()) throw d.argErr();
        const v = caddyDurationNs(d.val());
        if (typeof v === 'string') {
          // Caddy quotes the value for the interval only.
          throw d.err(
            sub === 'lb_try_duration' ? `bad duration value ${d.val()}: ${v}` : `bad interval value '${d.val()}': ${v}`,
          );
        }
        lb()[sub === 'lb_try_duration' ? 'try_duration' : 'try_interval'] = v;
        break;
      }
      case 'lb_retry_match': {
        let set: MatcherSet;
        try {
          // A fresh helper over this line and its block, positioned on the subdirective name.
          const sh = h.withDispenser(d.newFromNextSegment());
          sh.next();
          set = sh.parseMatcherDefinition();
        } catch (e) {
          throw d.err(`failed to parse lb_retry_match: ${(e as Error).message}`);
        }
        (lb().retry_match ??= []).push(set);
        break;
      }
      case 'flush_interval':
        handler.flush_interval = durationOrInt(d);
        break;
      case 'stream_timeout':
        handler.stream_timeout = durationOrInt(d);
        break;
      case 'stream_close_delay':
        handler.stream_close_delay = durationOrInt(d);
        break;
      case 'request_buffers':
      case 'response_buffers': {
        if (!d.nextArg()) throw d.argErr();
        const size = bufferSize(d, d.val());
        if (d.nextArg()) throw d.argErr();
        handler[sub] = size;
        break;
      }
      case 'buffer_requests':
      case 'buffer_responses':
        if (d.nextArg()) throw d.argErr();
        handler[sub === 'buffer_requests' ? 'request_buffers' : 'response_buffers'] = -1;
        break;
      case 'max_buffer_size': {
        if (!d.nextArg()) throw d.argErr();
        const n = parseBytes(d.val());
        if (typeof n === 'string') throw d.err(`invalid byte size '${d.val()}': ${n}`);
        if (d.nextArg()) throw d.argErr();
        handler.max_buffer_size = n;
        break;
      }
      case 'stream_buffer_size': {
        if (!d.nextArg()) throw d.argErr();
        const n = parseBytes(d.val());
        if (typeof n === 'string') throw d.err(`invalid byte size '${d.val()}': ${n}`);
        if (d.nextArg()) throw d.argErr();
        handler.stream_buffer_size = n;
        break;
      }
      case 'trusted_proxies': {
        const list: string[] = [];
        while (d.nextArg()) {
          if (d.val() === 'private_ranges') list.push(...PRIVATE_RANGES);
          else list.push(d.val());
        }
        appendField(handler, 'trusted_proxies', list);
        break;
      }
      case 'header_up':
      case 'header_down': {
        const hs = headers();
        const ops: HeaderOps = sub === 'header_up' ? (hs.request ??= {}) : (hs.response ??= {});
        const args = d.remainingArgs();
        if (args.length < 1 || args.length > 3) throw d.argErr();
        const err = applyHeaderOp(ops, undefined, args[0]!, args[1] ?? '', args[2]);
        if (err) throw d.err(err);
        break;
      }
      case 'method':
      case 'rewrite': {
        if (!d.nextArg()) throw d.argErr();
        rewrite()[sub === 'method' ? 'method' : 'uri'] = d.val();
        if (d.nextArg()) throw d.argErr();
        break;
      }
      case 'transport': {
        if (!d.nextArg()) throw d.argErr();
        if (transport || presetTransport) throw d.err('transport already specified');
        const name = d.val();
        const parse = lookup('http-transport', name)?.parse;
        const id = `http.reverse_proxy.transport.${name}`;
        if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
        // The transport parser listed under `name` returns that transport's fields.
        transport = { name, fields: parse(d.newFromNextSegment()) } as Transport;
        break;
      }
      case 'verbose_logs':
        if (handler.verbose_logs) throw d.err('verbose_logs already specified');
        handler.verbose_logs = true;
        break;
      default:
        throw d.err(`unrecognized subdirective ${sub}`);
    }
  }

  const scheme = upstreams.commonScheme;
  if ((scheme === 'https' || scheme === 'h2c') && !transport) transport = { name: 'http', fields: {} };
  if (transport) {
    if (isTLSTransport(transport)) {
      const f = transport.fields;
      if (scheme === 'https' && f.tls === undefined) f.tls = {};
      if (scheme === 'http' && f.tls !== undefined) {
        throw d.err('upstream address scheme is HTTP but transport is configured for HTTP+TLS (HTTPS)');
      }
      if (scheme === 'h2c') f.versions = ['h2c', '2'];
    } else if (scheme === 'https') {
      throw d.err(
        `upstreams are configured for HTTPS but transport module does not support TLS: *${transport.name}.Transport`,
      );
    }
    // An empty default http transport is not encoded.
    if (!(transport.name === 'http' && Object.keys(transport.fields).length === 0)) {
      handler.transport = moduleObject<HttpTransport | FastcgiTransport>('protocol', transport.name, transport.fields);
    }
  }
  if (upstreams.list.length > 0) handler.upstreams = upstreams.list;
  omitZero(
    handler,
    'flush_interval',
    'stream_timeout',
    'stream_close_delay',
    'request_buffers',
    'response_buffers',
    'max_buffer_size',
    'stream_buffer_size',
  );
  omitZero(handler.load_balancing, 'retries', 'try_duration', 'try_interval');
  omitZero(handler.rewrite, 'method', 'uri');
  const checks = handler.health_checks;
  omitZero(
    checks?.active,
    'path',
    'uri',
    'upstream',
    'port',
    'method',
    'body',
    'interval',
    'timeout',
    'passes',
    'fails',
    'expect_status',
    'expect_body',
  );
  omitZero(checks?.passive, 'fail_duration', 'max_fails', 'unhealthy_request_count', 'unhealthy_latency');
  const handleResponse = responses.finalize(h);
  if (handleResponse) handler.handle_response = handleResponse;
  return handler;
}

/** `reverse_proxy`'s subdirectives, which `forward_auth` and `php_fastcgi` accept too. */
export const REVERSE_PROXY_SUBDIRECTIVES: readonly Subdirective[] = [
  { name: 'to', syntax: 'to <upstreams...>', doc: 'Upstream addresses to proxy to.' },
  {
    name: 'dynamic',
    syntax: 'dynamic <a|srv|multi> [...]',
    doc: 'Gets upstreams from a dynamic source at request time.',
  },
  {
    name: 'lb_policy',
    syntax:
      'lb_policy <random|random_choose|least_conn|round_robin|weighted_round_robin|first|ip_hash|client_ip_hash|uri_hash|query|header|cookie> [...]',
    doc: 'How to choose an upstream.',
  },
  { name: 'lb_retries', syntax: 'lb_retries <int>', doc: 'How many times to retry another upstream.' },
  { name: 'lb_try_duration', syntax: 'lb_try_duration <duration>', doc: 'How long to keep retrying upstreams.' },
  { name: 'lb_try_interval', syntax: 'lb_try_interval <duration>', doc: 'How long to wait between retries.' },
  {
    name: 'lb_retry_match',
    syntax: 'lb_retry_match <request matcher>',
    doc: 'Which requests may be retried (besides GET).',
  },
  { name: 'health_uri', syntax: 'health_uri <uri>', doc: 'The URI for active health checks.' },
  { name: 'health_upstream', syntax: 'health_upstream <host:port>', doc: 'Another address for active health checks.' },
  { name: 'health_port', syntax: 'health_port <port>', doc: 'Another port for active health checks.' },
  { name: 'health_interval', syntax: 'health_interval <duration>', doc: 'How often to run active health checks.' },
  { name: 'health_timeout', syntax: 'health_timeout <duration>', doc: 'How long to wait for a health check.' },
  { name: 'health_status', syntax: 'health_status <code|Nxx>', doc: 'The expected health check status.' },
  { name: 'health_body', syntax: 'health_body <regexp>', doc: 'The expected health check body.' },
  { name: 'health_method', syntax: 'health_method <METHOD>', doc: 'The health check method.' },
  {
    name: 'health_headers',
    syntax: 'health_headers { <field> [<values...>] }',
    doc: 'Headers of health check requests.',
  },
  { name: 'health_passes', syntax: 'health_passes <int>', doc: 'Passes before an upstream is healthy again.' },
  { name: 'health_fails', syntax: 'health_fails <int>', doc: 'Failures before an upstream is unhealthy.' },
  {
    name: 'fail_duration',
    syntax: 'fail_duration <duration>',
    doc: 'How long a failed request counts against an upstream (passive health checks).',
  },
  {
    name: 'max_fails',
    syntax: 'max_fails <int>',
    doc: 'Failures within fail_duration before an upstream is unhealthy.',
  },
  {
    name: 'unhealthy_status',
    syntax: 'unhealthy_status <codes|Nxx...>',
    doc: 'Response statuses that count as failures.',
  },
  {
    name: 'unhealthy_latency',
    syntax: 'unhealthy_latency <duration>',
    doc: 'Response latency that counts as a failure.',
  },
  {
    name: 'unhealthy_request_count',
    syntax: 'unhealthy_request_count <int>',
    doc: 'Concurrent requests above which an upstream is unhealthy.',
  },
  {
    name: 'flush_interval',
    syntax: 'flush_interval <duration|-1>',
    doc: 'How often to flush the response (-1: immediately).',
  },
  {
    name: 'request_buffers',
    syntax: 'request_buffers <size|unlimited>',
    doc: 'Buffers request bodies up to this size.',
  },
  {
    name: 'response_buffers',
    syntax: 'response_buffers <size|unlimited>',
    doc: 'Buffers response bodies up to this size.',
  },
  {
    name: 'stream_timeout',
    syntax: 'stream_timeout <duration>',
    doc: 'Closes streams (e.g. WebSockets) after this long.',
  },
  {
    name: 'stream_close_delay',
    syntax: 'stream_close_delay <duration>',
    doc: 'Keeps streams open this long after a config unload.',
  },
  { name: 'verbose_logs', syntax: 'verbose_logs', doc: 'Logs more detail about upstream requests.' },
  {
    name: 'trusted_proxies',
    syntax: 'trusted_proxies [private_ranges] <ranges...>',
    doc: 'Proxies whose X-Forwarded-* headers are passed on.',
  },
  {
    name: 'header_up',
    syntax: 'header_up [+|-]<field> [<value|regexp> [<replacement>]]',
    doc: 'Changes a request header sent upstream.',
  },
  {
    name: 'header_down',
    syntax: 'header_down [+|-]<field> [<value|regexp> [<replacement>]]',
    doc: 'Changes a response header from upstream.',
  },
  { name: 'method', syntax: 'method <METHOD>', doc: 'Changes the method of the upstream request.' },
  { name: 'rewrite', syntax: 'rewrite <uri>', doc: 'Changes the URI of the upstream request.' },
  { name: 'transport', syntax: 'transport http|fastcgi { ... }', doc: 'How to talk to upstreams.' },
  {
    name: 'replace_status',
    syntax: 'replace_status [<response_matcher>] <status>',
    doc: 'Changes the status of matching responses.',
  },
  {
    name: 'handle_response',
    syntax: 'handle_response [<response_matcher>] { <directives...> }',
    doc: 'Handles matching responses with other directives.',
  },
];

export const ReverseProxyDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'reverse_proxy',
  syntax: 'reverse_proxy [<matcher>] [<upstreams...>] { ... }',
  doc: 'Proxies requests to upstreams, with load balancing, health checks and response handling.',
  subdirectives: REVERSE_PROXY_SUBDIRECTIVES,
  parse: (h) => moduleObject<ReverseProxyHandler>('handler', 'reverse_proxy', parseReverseProxy(h, h)),
};
