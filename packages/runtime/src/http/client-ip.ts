/** @module http/client-ip: the client IP of a request, from client IP headers when the peer is a trusted proxy. */
import { isIP, type BlockList } from 'node:net';
import { inRanges } from './matchers/ip.js';
import type { HttpRequest } from './request.js';

/** "1.2.3.4:80" -> "1.2.3.4", "[::1]:80" -> "::1"; bare addresses unchanged. */
function stripPort(entry: string): string {
  const x = entry.trim();
  if (x.startsWith('[')) return x.slice(1, x.indexOf(']') > 0 ? x.indexOf(']') : undefined);
  const colon = x.indexOf(':');
  return colon > 0 && colon === x.lastIndexOf(':') ? x.slice(0, colon) : x;
}

/** Sets the `client_ip` variable (and `trusted_proxy` when the peer is trusted), like Caddy's server. */
export function setClientIp(r: HttpRequest, trusted: BlockList | undefined, headers: string[], strict: boolean): void {
  let ip = r.conn.remoteAddress;
  if (trusted && inRanges(trusted, ip)) {
    r.vars.set('trusted_proxy', true);
    for (const h of headers) {
      const ips = r.headers
        .values(h)
        .join(',')
        .split(',')
        .map(stripPort)
        .filter((x) => isIP(x));
      if (!ips.length) continue;
      // strict: right to left, the first address that is not a trusted proxy; otherwise the leftmost
      ip = strict ? ([...ips].reverse().find((x) => !inRanges(trusted, x)) ?? ips[0]!) : ips[0]!;
      break;
    }
  }
  r.vars.set('client_ip', ip);
}
