/** @module reverse-proxy-dynamic: `http.reverse_proxy.upstreams.*` (a, srv, multi) for `dynamic NAME ...`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import {
  caddyDurationNs,
  type DynamicAUpstreams,
  type MultiUpstreams,
  type Own,
  type SrvUpstreams,
  type UpstreamSource,
} from '@proxy/contract';
import { moduleObject } from '../json.js';
import { guestModules } from '../module.js';
import { lookup } from '../modules.js';
import { omitZero } from './common.js';

function duration(d: Dispenser, msg: (v: string, e: string) => string): number {
  if (!d.nextArg()) throw d.argErr();
  const v = caddyDurationNs(d.val());
  if (typeof v === 'string') throw d.err(msg(d.val(), v));
  return v;
}

/** Subdirectives shared by `a` and `srv`; returns false if not one of them. */
function common(d: Dispenser, out: Own<DynamicAUpstreams, 'source'> | Own<SrvUpstreams, 'source'>): boolean {
  switch (d.val()) {
    case 'refresh':
      out.refresh = duration(d, (_v, e) => `parsing refresh interval duration: ${e}`);
      return true;
    case 'resolvers': {
      const addresses = d.remainingArgs();
      if (addresses.length === 0) throw d.err('must specify at least one resolver address');
      out.resolver = { addresses };
      return true;
    }
    case 'dial_timeout':
      out.dial_timeout = duration(d, (v, e) => `bad timeout value '${v}': ${e}`);
      return true;
    case 'dial_fallback_delay':
      out.dial_fallback_delay = duration(d, (v, e) => `bad delay value '${v}': ${e}`);
      return true;
    default:
      return false;
  }
}

/** Sets a string field that may be given once. */
function once<K extends string>(d: Dispenser, out: Partial<Record<K, string>>, key: K, what: string): void {
  if (!d.nextArg()) throw d.argErr();
  if (out[key] !== undefined && out[key] !== '') throw d.err(`${what} has already been specified`);
  out[key] = d.val();
}

const SOURCES = {
  srv(d) {
    d.next();
    const args = d.remainingArgs();
    if (args.length > 1) throw d.argErr();
    const out: Own<SrvUpstreams, 'source'> = {};
    if (args.length > 0) out.name = args[0];
    while (d.nextBlock(0)) {
      switch (d.val()) {
        case 'service':
          once(d, out, 'service', 'srv service');
          break;
        case 'proto':
          once(d, out, 'proto', 'srv proto');
          break;
        case 'name':
          once(d, out, 'name', 'srv name');
          break;
        case 'grace_period':
          out.grace_period = duration(d, (v, e) => `bad grace period value '${v}': ${e}`);
          break;
        default:
          if (!common(d, out)) throw d.err(`unrecognized srv option '${d.val()}'`);
      }
    }
    return out;
  },
  a(d) {
    d.next();
    const args = d.remainingArgs();
    if (args.length > 2) throw d.argErr();
    const out: Own<DynamicAUpstreams, 'source'> = {};
    if (args.length > 0) out.name = args[0];
    if (args.length === 2) out.port = args[1];
    while (d.nextBlock(0)) {
      switch (d.val()) {
        case 'name':
          once(d, out, 'name', 'a name');
          break;
        case 'port':
          once(d, out, 'port', 'a port');
          break;
        case 'versions': {
          const vs = d.remainingArgs();
          if (vs.length === 0) throw d.err('must specify at least one version');
          const versions = (out.versions ??= {});
          for (const v of vs) {
            if (v === 'ipv4') versions.ipv4 = true;
            else if (v === 'ipv6') versions.ipv6 = true;
            else throw d.err(`unsupported version: '${v}'`);
          }
          break;
        }
        default:
          if (!common(d, out)) throw d.err(`unrecognized a option '${d.val()}'`);
      }
    }
    return out;
  },
  multi(d) {
    d.next();
    if (d.nextArg()) throw d.argErr();
    const sources: UpstreamSource[] = [];
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) sources.push(parseUpstreamSource(d));
    return sources.length > 0 ? { sources } : {};
  },
} satisfies {
  srv: (d: Dispenser) => Own<SrvUpstreams, 'source'>;
  a: (d: Dispenser) => Own<DynamicAUpstreams, 'source'>;
  multi: (d: Dispenser) => Own<MultiUpstreams, 'source'>;
};

export const UPSTREAM_SOURCES = guestModules('http-upstream-source', SOURCES, {
  srv: {
    syntax:
      'srv [<name>] { service; proto; name; refresh; resolvers; dial_timeout; dial_fallback_delay; grace_period }',
    doc: 'Gets upstreams from DNS SRV records.',
    subdirectives: [
      { name: 'service', syntax: 'service <service>', doc: 'The SRV service label.' },
      { name: 'proto', syntax: 'proto tcp|udp', doc: 'The SRV protocol label.' },
      { name: 'name', syntax: 'name <name>', doc: 'The domain name.' },
      { name: 'refresh', syntax: 'refresh <duration>', doc: 'How often to look the upstreams up again.' },
      { name: 'resolvers', syntax: 'resolvers <addrs...>', doc: 'DNS resolvers to ask.' },
      { name: 'dial_timeout', syntax: 'dial_timeout <duration>', doc: 'How long to wait for DNS answers.' },
      {
        name: 'dial_fallback_delay',
        syntax: 'dial_fallback_delay <duration>',
        doc: 'How long to wait before trying the other IP family.',
      },
      {
        name: 'grace_period',
        syntax: 'grace_period <duration>',
        doc: 'How long to keep using stale records after a failed lookup.',
      },
    ],
  },
  a: {
    syntax: 'a [<name> [<port>]] { name; port; refresh; resolvers; dial_timeout; dial_fallback_delay; versions }',
    doc: 'Gets upstreams from DNS A/AAAA records.',
    subdirectives: [
      { name: 'name', syntax: 'name <name>', doc: 'The domain name.' },
      { name: 'port', syntax: 'port <port>', doc: "The upstreams' port." },
      { name: 'refresh', syntax: 'refresh <duration>', doc: 'How often to look the upstreams up again.' },
      { name: 'resolvers', syntax: 'resolvers <addrs...>', doc: 'DNS resolvers to ask.' },
      { name: 'dial_timeout', syntax: 'dial_timeout <duration>', doc: 'How long to wait for DNS answers.' },
      {
        name: 'dial_fallback_delay',
        syntax: 'dial_fallback_delay <duration>',
        doc: 'How long to wait before trying the other IP family.',
      },
      { name: 'versions', syntax: 'versions ipv4|ipv6...', doc: 'Which IP versions to look up.' },
    ],
  },
  multi: {
    syntax: 'multi { <source> [...] ... }',
    doc: 'Combines the upstreams of several dynamic sources.',
  },
});

/** Parses the upstream source named by the current token into a module object with `source`. */
export function parseUpstreamSource(d: Dispenser): UpstreamSource {
  const name = d.val();
  const id = `http.reverse_proxy.upstreams.${name}`;
  const parse = lookup('http-upstream-source', name)?.parse;
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  const out = parse(d.newFromNextSegment());
  omitZero(out, 'name', 'port', 'service', 'proto', 'refresh', 'grace_period', 'dial_timeout', 'dial_fallback_delay');
  // A name with a listed parser is one of the sources the contract defines.
  return moduleObject<UpstreamSource>('source', name as UpstreamSource['source'], out);
}
