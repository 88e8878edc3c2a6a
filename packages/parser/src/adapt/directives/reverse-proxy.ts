/**
 * @module reverse-proxy: the `reverse_proxy` handler directive (Caddy's `reverseproxy.Handler.UnmarshalCaddyfile`
 * and `FinalizeUnmarshalCaddyfile`); php_fastcgi and forward_auth reuse `parseReverseProxy`.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { Helper } from '../helper.js';
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { appendField, atoi, omitZero, parseBytes } from './common.js';
import { applyHeaderOp, type HeaderOps, type RespHeaderOps } from './header-ops.js';
import { ResponseHandlers } from './response-handlers.js';
import { parseUpstreamSource } from './reverse-proxy-dynamic.js';
import { healthSubdirective } from './reverse-proxy-health.js';
import { parseSelectionPolicy } from './reverse-proxy-lb-policies.js';
import { parseFastcgiTransport } from './reverse-proxy-transport-fastcgi.js';
import { parseHttpTransport } from './reverse-proxy-transport-http.js';
import { Upstreams } from './reverse-proxy-upstreams.js';
import { caddyDurationNs, PRIVATE_RANGES } from '@proxy/contract';

const TRANSPORTS: Record<string, (d: Dispenser) => JsonObject> = {
  http: parseHttpTransport,
  fastcgi: parseFastcgiTransport,
};

/** Transports that support TLS (Caddy's `TLSTransport`). */
const TLS_TRANSPORTS = new Set(['http']);

/** A parsed transport: module name and fields. */
interface Transport {
  name: string;
  fields: JsonObject;
}

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
  handler?: JsonObject;
  handleResponse?: JsonObject[];
}

/**
 * Parses a reverse_proxy segment from `d` (cursor before the directive name) into the handler's fields
 * (not yet a module object). `h` parses handle_response blocks.
 */
export function parseReverseProxy(d: Dispenser, h: Helper, preset: ReverseProxyPreset = {}): JsonObject {
  const handler: JsonObject = preset.handler ?? {};
  const upstreams = new Upstreams();
  const responses = new ResponseHandlers(preset.handleResponse);
  let transport: Transport | undefined;
  const presetTransport = handler.transport !== undefined;
  const lb = (): JsonObject => (handler.load_balancing ??= {}) as JsonObject;
  const headers = (): JsonObject => (handler.headers ??= {}) as JsonObject;
  const rewrite = (): JsonObject => (handler.rewrite ??= {}) as JsonObject;

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
          throw d.err(sub === 'lb_try_duration' ? `bad duration value ${d.val()}: ${v}` : `bad interval value '${d.val()}': ${v}`);
        }
        lb()[sub === 'lb_try_duration' ? 'try_duration' : 'try_interval'] = v;
        break;
      }
      case 'lb_retry_match': {
        let set: JsonObject;
        try {
          // A fresh helper over this line and its block, positioned on the subdirective name.
          const sh = h.withDispenser(d.newFromNextSegment());
          sh.next();
          set = sh.parseMatcherDefinition();
        } catch (e) {
          throw d.err(`failed to parse lb_retry_match: ${(e as Error).message}`);
        }
        ((lb().retry_match ??= []) as JsonObject[]).push(set);
        break;
      }
      case 'flush_interval': handler.flush_interval = durationOrInt(d); break;
      case 'stream_timeout': handler.stream_timeout = durationOrInt(d); break;
      case 'stream_close_delay': handler.stream_close_delay = durationOrInt(d); break;
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
        const ops: HeaderOps =
          sub === 'header_up'
            ? ((hs.request ??= {}) as HeaderOps)
            : ((hs.response ??= {}) as RespHeaderOps);
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
        const parse = TRANSPORTS[name];
        const id = `http.reverse_proxy.transport.${name}`;
        if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
        transport = { name, fields: parse(d.newFromNextSegment()) };
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
    if (TLS_TRANSPORTS.has(transport.name)) {
      const f = transport.fields;
      if (scheme === 'https' && f.tls === undefined) f.tls = {};
      if (scheme === 'http' && f.tls !== undefined) {
        throw d.err('upstream address scheme is HTTP but transport is configured for HTTP+TLS (HTTPS)');
      }
      if (scheme === 'h2c') f.versions = ['h2c', '2'];
    } else if (scheme === 'https') {
      throw d.err(`upstreams are configured for HTTPS but transport module does not support TLS: *${transport.name}.Transport`);
    }
    // An empty default http transport is not encoded.
    if (!(transport.name === 'http' && Object.keys(transport.fields).length === 0)) {
      handler.transport = moduleObject('protocol', transport.name, transport.fields);
    }
  }
  if (upstreams.list.length > 0) handler.upstreams = upstreams.list;
  omitZero(handler, 'flush_interval', 'stream_timeout', 'stream_close_delay', 'request_buffers', 'response_buffers', 'max_buffer_size', 'stream_buffer_size');
  omitZero(handler.load_balancing as JsonObject | undefined, 'retries', 'try_duration', 'try_interval');
  omitZero(handler.rewrite as JsonObject | undefined, 'method', 'uri');
  const checks = handler.health_checks as JsonObject | undefined;
  omitZero(checks?.active as JsonObject | undefined, 'path', 'uri', 'upstream', 'port', 'method', 'body', 'interval', 'timeout', 'passes', 'fails', 'expect_status', 'expect_body');
  omitZero(checks?.passive as JsonObject | undefined, 'fail_duration', 'max_fails', 'unhealthy_request_count', 'unhealthy_latency');
  const handleResponse = responses.finalize(h);
  if (handleResponse) handler.handle_response = handleResponse;
  return handler;
}

/** Registers `reverse_proxy`. */
export function register(): void {
  registerHandlerDirective('reverse_proxy', (h) => moduleObject('handler', 'reverse_proxy', parseReverseProxy(h, h)));
}
