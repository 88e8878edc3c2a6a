/** @module static: the parts of Traefik's static configuration this adapter reads: `entryPoints.<name>.address`. */
import type { Field } from './reader.js';

export interface EntryPoint {
  name: string;
  /** Caddy listen address (`:5432`, `127.0.0.1:5432`). */
  address: string;
  /** `asDefault`: routers without `entryPoints` attach to these (all entry points when none is marked). */
  asDefault: boolean;
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
    const e = ep.object(['address', 'asDefault'], 'an entry point');
    const address = e['address']?.string();
    if (!address) throw (e['address'] ?? ep).error('an entry point needs an address');
    const m = /^(.*?)(\/(tcp|udp))?$/i.exec(address)!;
    if (m[3]?.toLowerCase() === 'udp') throw e['address']!.error('UDP entry points are not supported yet');
    const hostPort = m[1]!;
    if (!/^(\[[^\]]*\]|[^:]*):\d{1,5}$/.test(hostPort) || Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)) > 65535)
      throw e['address']!.error(`invalid address ${JSON.stringify(address)} (want [host]:port)`);
    return { name: ep.name, address: hostPort, asDefault: e['asDefault']?.bool() ?? false };
  });
}
