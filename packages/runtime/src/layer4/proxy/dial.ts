/** @module layer4/proxy/dial: opening upstream connections — resolver preference, local address, timeouts. */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { NetworkAddress } from './address.js';

export type ResolverPreference = 'ipv4_only' | 'ipv6_only' | 'ipv4_first' | 'ipv6_first' | undefined;

export const DIAL_TIMEOUT_MS = 10_000;

/** Addresses to try for a host, ordered (and filtered) by the preference. */
export async function resolve(
  host: string,
  pref: ResolverPreference,
  network: NetworkAddress['network'],
): Promise<string[]> {
  const name = host === '' ? 'localhost' : host;
  let list: Array<{ address: string; family: number }>;
  if (net.isIP(name) !== 0) list = [{ address: name, family: net.isIP(name) }];
  else list = await dns.lookup(name, { all: true, order: 'verbatim' });
  if (network === 'tcp4' || pref === 'ipv4_only') list = list.filter((a) => a.family === 4);
  if (network === 'tcp6' || pref === 'ipv6_only') list = list.filter((a) => a.family === 6);
  if (pref === 'ipv4_first') list = [...list.filter((a) => a.family === 4), ...list.filter((a) => a.family === 6)];
  if (pref === 'ipv6_first') list = [...list.filter((a) => a.family === 6), ...list.filter((a) => a.family === 4)];
  if (list.length === 0) throw new Error(`no ${pref ?? network} address for ${name}`);
  return list.map((a) => a.address);
}

/** A local address to bind: "10.0.0.1", "[2001:db8::1]:12345", "2001:db8::1". */
export function parseLocalAddress(text: string): { address: string; port?: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (m) return { address: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) };
  if (net.isIP(text) !== 0) return { address: text };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && net.isIPv4(text.slice(0, colon)))
    return { address: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
  return { address: text };
}

/** One TCP connection attempt to an IP. */
export function connectIp(
  ip: string,
  port: number,
  local: { address: string; port?: number } | undefined,
  timeoutMs: number,
  onread?: net.OnReadOpts,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({
      host: ip,
      port,
      allowHalfOpen: true,
      ...(onread ? { onread } : {}),
      ...(local ? { localAddress: local.address, ...(local.port ? { localPort: local.port } : {}) } : {}),
    });
    const timer = setTimeout(() => sock.destroy(new Error('timeout')), timeoutMs);
    const onError = (err: Error): void => {
      clearTimeout(timer);
      reject(err);
    };
    sock.once('error', onError);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.off('error', onError);
      sock.setNoDelay(true);
      resolve(sock);
    });
  });
}

/**
 * Dials a network address: unix path, or each resolved IP in turn until one connects. `onread` (TCP only)
 * delivers the socket's reads to a callback instead of its stream.
 */
export async function dialAddress(
  a: NetworkAddress,
  pref: ResolverPreference,
  localAddresses: string[],
  timeoutMs = DIAL_TIMEOUT_MS,
  onread?: net.OnReadOpts,
): Promise<net.Socket> {
  if (a.network === 'unix') {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ path: a.path!, allowHalfOpen: true });
      sock.once('error', reject);
      sock.once('connect', () => {
        sock.off('error', reject);
        resolve(sock);
      });
    });
  }
  const ips = await resolve(a.host, pref, a.network);
  let last: Error | undefined;
  for (const ip of ips.slice(0, 8)) {
    const family = net.isIP(ip);
    const locals = localAddresses.map(parseLocalAddress).filter((l) => net.isIP(l.address) === family);
    if (localAddresses.length > 0 && locals.length === 0) {
      last = new Error(`no local address of IPv${family} to reach ${ip}`);
      continue;
    }
    try {
      return await connectIp(ip, a.port, locals[Math.floor(Math.random() * locals.length)], timeoutMs, onread);
    } catch (err) {
      last = err as Error;
    }
  }
  throw last ?? new Error('no address to dial');
}
