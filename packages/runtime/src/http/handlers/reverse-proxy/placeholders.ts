/** @module http/handlers/reverse-proxy/placeholders: the {http.reverse_proxy.*} values Caddy sets while proxying. */
import { joinHostPort } from '../../replacer.js';
import type { HttpRequest } from '../../request.js';
import type { UpstreamHost } from './upstream.js';

/** Go's time.Duration.String for a count of nanoseconds ("1.5s", "79.305669ms", "2m3s", "0s"). */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  const n = neg ? -ns : ns;
  const sign = neg ? '-' : '';
  const frac = (v: bigint, digits: number): string => {
    const d = 10n ** BigInt(digits);
    const f = (v % d).toString().padStart(digits, '0').replace(/0+$/, '');
    return `${v / d}${f ? `.${f}` : ''}`;
  };
  if (n < 1000n) return `${sign}${n}ns`;
  if (n < 1_000_000n) return `${sign}${frac(n, 3)}µs`;
  if (n < 1_000_000_000n) return `${sign}${frac(n, 6)}ms`;
  const h = n / 3_600_000_000_000n;
  const m = (n / 60_000_000_000n) % 60n;
  const s = frac(n % 60_000_000_000n, 9);
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Milliseconds with decimals, as Caddy's *_ms placeholders (seconds times 1e3). */
export function goMs(ns: bigint): string {
  return String(Number(ns) / 1e6);
}

/**
 * Sets {http.reverse_proxy.upstream.*} for the upstream chosen for this attempt; header_up and header_down
 * rules see these, so they are set after selection and before the request's header rules run.
 */
export function setUpstreamPlaceholders(r: HttpRequest, host: UpstreamHost, fails: number): void {
  const unix = host.dial.startsWith('unix/');
  const hostport = unix ? host.dial.slice(5) : joinHostPort(host.host, host.port);
  r.extra.set('http.reverse_proxy.upstream.address', unix ? host.dial : `tcp/${hostport}`);
  r.extra.set('http.reverse_proxy.upstream.hostport', hostport);
  r.extra.set('http.reverse_proxy.upstream.host', unix ? hostport : host.host);
  r.extra.set('http.reverse_proxy.upstream.port', unix ? '' : String(host.port));
  r.extra.set('http.reverse_proxy.upstream.requests', String(host.inFlight));
  r.extra.set('http.reverse_proxy.upstream.max_requests', String(host.maxRequests));
  r.extra.set('http.reverse_proxy.upstream.fails', String(fails));
}

/** Sets a duration placeholder pair (`name` as a Go duration, `name_ms` in milliseconds). */
export function setDuration(r: HttpRequest, name: string, ns: bigint): void {
  r.extra.set(name, goDuration(ns));
  r.extra.set(`${name}_ms`, goMs(ns));
}
