/**
 * @module static: the parts of Traefik's static configuration this adapter reads: entry points (`address`,
 * `asDefault`, `proxyProtocol`).
 */
import { isIP } from 'node:net';
import type { Field } from './reader.js';

export interface EntryPoint {
  name: string;
  /** Caddy listen address (`:5432`, `127.0.0.1:5432`). */
  address: string;
  /** `asDefault`: routers without `entryPoints` attach to these (all entry points when none is marked). */
  asDefault: boolean;
  /** `proxyProtocol`: PROXY headers are taken from these sources (the others' are read and ignored). */
  proxyProtocolFrom?: string[];
}

/** Without entry points Traefik listens on `:80` as "http". */
export const DEFAULT_ENTRYPOINTS: EntryPoint[] = [{ name: 'http', address: ':80', asDefault: false }];

export function readStatic(root: Field): EntryPoint[] {
  const k = root.object(['entryPoints', 'providers'], 'the static configuration');
  if (k['providers']) {
    const p = k['providers'].object(['file'], 'providers');
    // The dynamic file is given with --config; the file provider's own settings change nothing here.
    p['file']?.object(['filename', 'directory', 'watch'], 'providers.file');
  }
  const eps = k['entryPoints']?.entries() ?? [];
  if (eps.length === 0) return DEFAULT_ENTRYPOINTS;
  return eps.map((ep) => {
    const e = ep.object(['address', 'asDefault', 'proxyProtocol'], 'an entry point');
    const address = e['address']?.string();
    if (!address) throw (e['address'] ?? ep).error('an entry point needs an address');
    const m = /^(.*?)(\/(tcp|udp))?$/i.exec(address)!;
    if (m[3]?.toLowerCase() === 'udp') throw e['address']!.error('UDP entry points are not supported yet');
    const hostPort = m[1]!;
    if (!/^(\[[^\]]*\]|[^:]*):\d{1,5}$/.test(hostPort) || Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)) > 65535)
      throw e['address']!.error(`invalid address ${JSON.stringify(address)} (want [host]:port)`);
    const out: EntryPoint = { name: ep.name, address: hostPort, asDefault: e['asDefault']?.bool() ?? false };
    if (e['proxyProtocol']) out.proxyProtocolFrom = readProxyProtocol(e['proxyProtocol']);
    return out;
  });
}

/** Traefik: `insecure` trusts every source; else `trustedIPs` (IPs or CIDR ranges). */
function readProxyProtocol(f: Field): string[] {
  const k = f.object(['trustedIPs', 'insecure'], 'proxyProtocol');
  if (k['insecure']?.bool()) return ['0.0.0.0/0', '::/0'];
  return (k['trustedIPs']?.items() ?? []).map((t) => {
    const v = t.string() ?? '';
    const [ip, bits, extra] = v.split('/');
    const family = isIP(ip ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !okBits || extra !== undefined)
      throw t.error(`${JSON.stringify(v)} is not an IP address or CIDR range`);
    return v;
  });
}
