/** @module options/servers: `servers [address] { ... }` (Caddy's `unmarshalCaddyfileServerOptions`). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { listenerWrapper } from '../registry.js';
import {
  PRIVATE_RANGES,
  type AdaptedListenerWrapper,
  type HttpMetrics,
  type HttpServer,
  type ListenerWrapperConfig,
} from '@proxy/contract';
import type { ServerOptions } from './servers-apply.js';
import { parseBytes } from './humanize.js';
import { durationArg } from './simple.js';
import type { ModuleOfKind } from '../module.js';

function ipSource(d: Dispenser): NonNullable<HttpServer['trusted_proxies']> {
  if (!d.nextArg()) throw d.err('trusted_proxies expects an IP range source module name as its first argument');
  const name = d.val();
  if (name !== 'static')
    throw d.err(`getting module named 'http.ip_sources.${name}': module not registered: http.ip_sources.${name}`);
  const seg = d.newFromNextSegment();
  seg.next();
  const ranges: string[] = [];
  const add = (r: string) => (r === 'private_ranges' ? ranges.push(...PRIVATE_RANGES) : ranges.push(r));
  for (const a of seg.remainingArgs()) add(a);
  for (const n = seg.nesting(); seg.nextBlock(n); ) {
    if (seg.val() !== 'ranges') throw seg.err(`unrecognized subdirective '${seg.val()}'`);
    for (const a of seg.remainingArgs()) add(a);
  }
  // Keys sorted, as Caddy's module objects are.
  return ranges.length > 0 ? { ranges, source: 'static' } : { source: 'static' };
}

/** Parses one `servers` option. */
export function parseOptServers(d: Dispenser): ServerOptions {
  d.next();
  const o: ServerOptions = { listenerAddress: '', fields: {} };
  const f = o.fields;
  if (d.nextArg()) {
    o.listenerAddress = d.val();
    if (d.nextArg()) throw d.argErr();
  }
  const dur = (what: string): number => {
    if (!d.nextArg()) throw d.argErr();
    return durationArg(d, d.val(), `parsing ${what}`);
  };
  for (const n = d.nesting(); d.nextBlock(n); ) {
    const opt = d.val();
    switch (opt) {
      case 'name':
        if (o.listenerAddress === '') throw d.err('cannot set a name for a server without a listener address');
        if (!d.nextArg()) throw d.argErr();
        o.name = d.val();
        break;
      case 'listener_wrappers':
      case 'packet_conn_wrappers': {
        const list: AdaptedListenerWrapper[] = [];
        for (const m = d.nesting(); d.nextBlock(m); ) {
          const name = d.val();
          const parse = opt === 'listener_wrappers' ? listenerWrapper(name) : undefined;
          const prefix = opt === 'listener_wrappers' ? 'caddy.listeners.' : 'caddy.packetconns.';
          if (!parse) throw d.err(`getting module named '${prefix}${name}': module not registered: ${prefix}${name}`);
          list.push(parse(d.newFromNextSegment()));
        }
        // The contract's ListenerWrapperConfig is open (an index signature) for the runtime, which the adapted
        // wrappers' interfaces cannot be assigned to without a cast; they are checked where they are built.
        if (opt === 'listener_wrappers') f.listener_wrappers = list as ListenerWrapperConfig[];
        else f.packet_conn_wrappers = list;
        break;
      }
      case 'timeouts':
        for (const m = d.nesting(); d.nextBlock(m); ) {
          const t = d.val();
          switch (t) {
            case 'read_body':
              f['read_timeout'] = dur('read_body timeout duration');
              break;
            case 'read_body_idle':
              f['read_idle_timeout'] = dur('read_body_idle timeout duration');
              if (d.nextArg()) f['read_min_rate'] = bytes(d);
              break;
            case 'read_header':
              f['read_header_timeout'] = dur('read_header timeout duration');
              break;
            case 'write':
              f['write_timeout'] = dur('write timeout duration');
              break;
            case 'write_idle':
              f['write_idle_timeout'] = dur('write_idle timeout duration');
              if (d.nextArg()) f['write_min_rate'] = bytes(d);
              break;
            case 'write_max_chunk':
              if (!d.nextArg()) throw d.argErr();
              f['max_write_chunk'] = bytes(d);
              break;
            case 'idle':
              f['idle_timeout'] = dur('idle timeout duration');
              break;
            default:
              throw d.err(`unrecognized timeouts option '${t}'`);
          }
        }
        break;
      case 'keepalive_interval':
        f['keepalive_interval'] = dur('keepalive interval duration');
        break;
      case 'keepalive_idle':
        f['keepalive_idle'] = dur('keepalive idle duration');
        break;
      case 'keepalive_count': {
        if (!d.nextArg()) throw d.argErr();
        const v = d.val();
        if (!/^[+-]?\d+$/.test(v))
          throw d.err(`parsing keepalive count int: strconv.Atoi: parsing "${v}": invalid syntax`);
        f['keepalive_count'] = Number(v);
        break;
      }
      case 'max_header_size': {
        const a = d.allArgs(1);
        if (!a) throw d.argErr();
        const size = parseBytes(a[0]!);
        if (typeof size === 'string') throw d.err(`parsing max_header_size: ${size}`);
        f['max_header_bytes'] = size;
        break;
      }
      case 'enable_full_duplex':
        if (d.nextArg()) throw d.argErr();
        f['enable_full_duplex'] = true;
        break;
      case 'expected_underscore_headers':
      case 'expected_dot_headers':
        f[opt] = [...(f[opt] ?? []), ...d.remainingArgs()];
        break;
      case 'log_credentials':
        if (d.nextArg()) throw d.argErr();
        o.shouldLogCredentials = true;
        break;
      case 'protocols': {
        const protos = f.protocols ?? [];
        for (const p of d.remainingArgs()) {
          if (!['h1', 'h2', 'h2c', 'h3'].includes(p))
            throw d.err(`unknown protocol '${p}': expected h1, h2, h2c, or h3`);
          if (protos.includes(p)) throw d.err(`protocol ${p} specified more than once`);
          protos.push(p);
        }
        f['protocols'] = protos;
        if (d.nextBlock(d.nesting())) throw d.argErr();
        break;
      }
      case 'strict_sni_host': {
        if (d.nextArg() && d.val() !== 'insecure_off' && d.val() !== 'on') {
          throw d.err(`strict_sni_host only supports 'on' or 'insecure_off', got '${d.val()}'`);
        }
        f['strict_sni_host'] = d.val() !== 'insecure_off';
        break;
      }
      case 'trusted_proxies':
        f['trusted_proxies'] = ipSource(d);
        break;
      case 'trusted_proxies_strict':
        if (d.nextArg()) throw d.argErr();
        f['trusted_proxies_strict'] = 1;
        break;
      case 'trusted_proxies_unix':
        if (d.nextArg()) throw d.argErr();
        f['trusted_proxies_unix'] = true;
        break;
      case 'client_ip_headers': {
        const hs = f.client_ip_headers ?? [];
        for (const h of d.remainingArgs()) {
          if (hs.includes(h)) throw d.err(`client IP header ${h} specified more than once`);
          hs.push(h);
        }
        f['client_ip_headers'] = hs;
        if (d.nextBlock(d.nesting())) throw d.argErr();
        break;
      }
      case 'metrics': {
        const m: HttpMetrics = {};
        for (const k = d.nesting(); d.nextBlock(k); ) if (d.val() === 'per_host') m.per_host = true;
        o.metrics = m;
        break;
      }
      case 'trace':
        if (d.nextArg()) throw d.argErr();
        o.trace = true;
        break;
      case '0rtt':
        if (!d.nextArg()) throw d.argErr();
        if (d.val() !== 'off') throw d.err(`unrecognized 0rtt option '${d.val()}'`);
        f['allow_0rtt'] = false;
        break;
      default:
        throw d.err(`unrecognized servers option '${opt}'`);
    }
  }
  return o;
}

function bytes(d: Dispenser): number {
  const v = parseBytes(d.val());
  if (typeof v === 'string') throw d.err(`parsing size: ${v}`);
  return v;
}

export const ServersOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'servers',
  syntax: 'servers [<listener_addr>] { name; listener_wrappers { }; timeouts { }; trusted_proxies; protocols; ... }',
  doc: 'Options of the HTTP servers (all, or those listening on one address).',
  subdirectives: [
    { name: 'name', syntax: 'name <name>', doc: "The server's name in the JSON config." },
    {
      name: 'listener_wrappers',
      syntax: 'listener_wrappers { <wrapper> [...] ... }',
      doc: 'Wrappers around the listener (tls, http_redirect, proxy_protocol, layer4).',
    },
    {
      name: 'timeouts',
      syntax: 'timeouts { read_body <d>; read_header <d>; write <d>; idle <d> }',
      doc: 'Connection timeouts.',
    },
    { name: 'keepalive_interval', syntax: 'keepalive_interval <duration>', doc: 'The TCP keepalive interval.' },
    { name: 'max_header_size', syntax: 'max_header_size <size>', doc: 'The largest request head accepted.' },
    {
      name: 'enable_full_duplex',
      syntax: 'enable_full_duplex',
      doc: 'Lets HTTP/1 handlers read the body while writing the response.',
    },
    {
      name: 'log_credentials',
      syntax: 'log_credentials',
      doc: 'Logs Authorization and Cookie headers instead of redacting them.',
    },
    { name: 'protocols', syntax: 'protocols <h1|h2|h2c|h3...>', doc: 'The protocols to serve.' },
    {
      name: 'strict_sni_host',
      syntax: 'strict_sni_host [on|insecure_off]',
      doc: 'Requires the Host header to match the TLS server name.',
    },
    {
      name: 'trusted_proxies',
      syntax: 'trusted_proxies static <ranges...|private_ranges>',
      doc: 'Proxies whose client-IP headers are trusted.',
    },
    { name: 'trusted_proxies_strict', syntax: 'trusted_proxies_strict', doc: 'Reads client-IP headers right to left.' },
    {
      name: 'client_ip_headers',
      syntax: 'client_ip_headers <headers...>',
      doc: 'Headers that carry the client IP from trusted proxies.',
    },
    { name: 'metrics', syntax: 'metrics { per_host }', doc: 'Deprecated: use the global metrics option.' },
    { name: 'trace', syntax: 'trace', doc: 'Logs every handler (experimental).' },
  ],
  parse: parseOptServers,
};
