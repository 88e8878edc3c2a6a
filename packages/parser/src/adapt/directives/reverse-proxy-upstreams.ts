/** @module reverse-proxy-upstreams: static upstream addresses (Caddy's `parseUpstreamDialAddress`), port ranges and schemes. */
import { CaddyfileError, type Dispenser } from '../../caddyfile/dispenser.js';
import type { Upstream } from '@proxy/contract';
import { goQuote } from './common.js';

/** A parsed upstream address (Caddy's `parsedAddr`). */
export interface ParsedAddr {
  network: string;
  scheme: string;
  host: string;
  port: string;
}

const isUnixNetwork = (n: string) => n === 'unix' || n === 'unixgram' || n === 'unixpacket' || n === 'unix+h2c';
const isFdNetwork = (n: string) => n === 'fd' || n === 'fdgram';

/** Go's `net.JoinHostPort`. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Caddy's `JoinNetworkAddress`. */
export function joinNetworkAddress(network: string, host: string, port: string): string {
  let a = network !== '' ? `${network}/` : '';
  if ((host !== '' && port === '') || isUnixNetwork(network) || isFdNetwork(network)) a += host;
  else if (port !== '') a += joinHostPort(host, port);
  return a;
}

/** Go's `net.SplitHostPort`, or an error message. */
export function splitHostPort(hostport: string): [string, string] | string {
  const missing = `address ${hostport}: missing port in address`;
  const i = hostport.lastIndexOf(':');
  if (i < 0) return missing;
  let host: string;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return `address ${hostport}: missing ']' in address`;
    if (end + 1 === hostport.length) return missing;
    if (end + 1 !== i)
      return `address ${hostport}: ${hostport[end + 1] === ':' ? 'too many colons' : 'missing port'} in address`;
    host = hostport.slice(1, end);
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return `address ${hostport}: too many colons in address`;
  }
  return [host, hostport.slice(i + 1)];
}

/** Caddy's `SplitNetworkAddress`. */
function splitNetworkAddress(a: string): { network: string; host: string; port: string; err?: string } {
  let network = '';
  const idx = a.indexOf('/');
  if (idx >= 0) {
    network = a.slice(0, idx).trim().toLowerCase();
    a = a.slice(idx + 1);
  }
  if (isUnixNetwork(network) || isFdNetwork(network)) return { network, host: a, port: '' };
  const hp = splitHostPort(a);
  if (typeof hp !== 'string') return { network, host: hp[0], port: hp[1] };
  const retry = splitHostPort(joinHostPort(a.replace(/^\[+|\]+$/g, ''), '0'));
  if (typeof retry === 'string') return { network, host: '', port: '', err: hp };
  return { network, host: retry[0], port: '' };
}

/** A minimal Go `url.Parse` for `scheme://host[:port][/path][?q][#f]`. */
function parseUrl(s: string): { scheme: string; hostname: string; port: string; extra: boolean } | string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(s);
  if (!m) return `parse ${goQuote(s)}: invalid URL`;
  let authority = m[2]!;
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let hostname = authority;
  let port = '';
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    if (end < 0) return `parse ${goQuote(s)}: missing ']' in host`;
    hostname = authority.slice(1, end);
    const rest = authority.slice(end + 1);
    if (rest !== '') {
      if (!/^:\d*$/.test(rest)) return `parse ${goQuote(s)}: invalid port ${goQuote(rest)} after host`;
      port = rest.slice(1);
    }
  } else {
    const i = authority.lastIndexOf(':');
    if (i >= 0) {
      const rest = authority.slice(i);
      if (!/^:\d*$/.test(rest)) return `parse ${goQuote(s)}: invalid port ${goQuote(rest)} after host`;
      hostname = authority.slice(0, i);
      port = rest.slice(1);
    }
  }
  return { scheme: m[1]!.toLowerCase(), hostname, port, extra: m[3] !== '' };
}

/** Caddy's `parseUpstreamDialAddress`; returns the parsed address or an error message. */
export function parseUpstreamDialAddress(addr: string): ParsedAddr | string {
  let network = '';
  let scheme = '';
  let host = '';
  let port = '';
  if (addr.includes('://')) {
    if (addr.includes('{')) {
      return 'due to parsing difficulties, placeholders are not allowed when an upstream address contains a scheme';
    }
    let u = parseUrl(addr);
    if (typeof u === 'string') {
      if (u.includes('invalid port') && u.includes('-')) {
        const index = addr.lastIndexOf(':');
        const portRange = addr.slice(index + 1);
        if ((portRange.match(/-/g) ?? []).length !== 1) {
          return `parsing upstream URL: parse ${goQuote(addr)}: port range invalid: ${portRange}`;
        }
        u = parseUrl(addr.replaceAll(portRange, '0'));
        if (typeof u === 'string') return `parsing upstream URL: ${u}`;
        port = portRange;
      } else {
        return `parsing upstream URL: ${u}`;
      }
    }
    if (port === '') port = u.port;
    if (u.extra) return 'for now, URLs for proxy upstreams only support scheme, host, and port components';
    if (u.scheme === 'http' && port === '443')
      return 'upstream address has conflicting scheme (http://) and port (:443, the HTTPS port)';
    if (u.scheme === 'https' && port === '80')
      return 'upstream address has conflicting scheme (https://) and port (:80, the HTTP port)';
    if (u.scheme === 'h2c' && port === '443')
      return 'upstream address has conflicting scheme (h2c://) and port (:443, the HTTPS port)';
    if (port === '') {
      if (u.scheme === '' || u.scheme === 'http' || u.scheme === 'h2c') port = '80';
      else if (u.scheme === 'https') port = '443';
    }
    scheme = u.scheme;
    host = u.hostname;
  } else {
    const s = splitNetworkAddress(addr);
    network = s.network;
    host = s.err ? addr : s.host;
    port = s.port;
    if (port === '' && !host.includes('{') && !isUnixNetwork(network) && !isFdNetwork(network)) port = '80';
  }
  if (network === 'unix+h2c') {
    network = 'unix';
    scheme = 'h2c';
  }
  return { network, scheme, host, port };
}

function dialAddr(p: ParsedAddr): string {
  if (p.network !== '') return joinNetworkAddress(p.network, p.host, p.port);
  if (p.port === '' && p.host.includes('{')) return p.host;
  return joinHostPort(p.host, p.port);
}

/** Validates ports as Caddy's `ParseNetworkAddress` does; returns [start, end] or an error. */
function portRange(port: string): [number, number] | string {
  const parts = port.split('-');
  const [a, b] = parts.length === 1 ? [parts[0]!, parts[0]!] : [parts[0]!, parts.slice(1).join('-')];
  const parse = (s: string, which: string): number | string => {
    if (!/^\d+$/.test(s)) return `invalid ${which} port: strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`;
    const n = Number(s);
    if (n > 65535) return `invalid ${which} port: strconv.ParseUint: parsing ${goQuote(s)}: value out of range`;
    return n;
  };
  const start = parse(a, 'start');
  if (typeof start === 'string') return start;
  const end = parse(b, 'end');
  if (typeof end === 'string') return end;
  if (end < start) return 'end port must not be less than start port';
  return [start, end];
}

/** Collects static upstreams and checks that they share one scheme. */
export class Upstreams {
  readonly list: Upstream[] = [];
  commonScheme = '';

  /** Adds the upstreams one address stands for (several for a port range). */
  append(d: Dispenser, address: string): void {
    const fail = (msg: string): never => {
      throw new CaddyfileError(`parsing upstream '${address}': ${d.where(msg)}`, d.token());
    };
    const pa = parseUpstreamDialAddress(address);
    if (typeof pa === 'string') return fail(pa);
    switch (pa.scheme) {
      case 'wss':
        return fail('the scheme wss:// is only supported in browsers; use https:// instead');
      case 'ws':
        return fail('the scheme ws:// is only supported in browsers; use http:// instead');
      case 'https':
      case 'http':
      case 'h2c':
      case '':
        break;
      default:
        return fail(`unsupported URL scheme ${pa.scheme}://`);
    }
    if (this.commonScheme !== '' && pa.scheme !== this.commonScheme) {
      return fail(
        `for now, all proxy upstreams must use the same scheme (transport protocol); expecting '${this.commonScheme}://' but got '${pa.scheme}://'`,
      );
    }
    this.commonScheme = pa.scheme;
    const dial = dialAddr(pa);
    if (pa.port.includes('{') && pa.port.includes('}')) {
      this.list.push({ dial });
      return;
    }
    const unix = isUnixNetwork(pa.network) || isFdNetwork(pa.network);
    let range: [number, number] | undefined;
    if (!unix && pa.port !== '') {
      const r = portRange(pa.port);
      if (typeof r === 'string') return fail(r);
      range = r;
    }
    if (unix || !pa.port.includes('-') || !range) {
      this.list.push({ dial });
      return;
    }
    for (let i = range[0]; i <= range[1]; i++) this.list.push({ dial: joinNetworkAddress('', pa.host, String(i)) });
  }
}
