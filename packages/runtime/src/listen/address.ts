/** @module listen/address: Caddy network addresses ("tcp/host:port-range", ":443", "[::1]:80"). */
import { ConfigError } from '../util/errors.js';

/** One parsed listen address, possibly a port range. */
export interface NetworkAddress {
  network: 'tcp' | 'tcp4' | 'tcp6';
  /** Host to bind; "" for all interfaces. */
  host: string;
  startPort: number;
  endPort: number;
  /** The address as written. */
  original: string;
}

/** Parses a listen address; `defaultPort` fills in a missing port. */
export function parseNetworkAddress(addr: string, path: string, defaultPort?: number): NetworkAddress {
  let rest = addr.trim();
  let network: NetworkAddress['network'] = 'tcp';
  const slash = rest.indexOf('/');
  if (slash >= 0 && /^[a-z0-9+]+$/i.test(rest.slice(0, slash))) {
    const n = rest.slice(0, slash).toLowerCase();
    if (n !== 'tcp' && n !== 'tcp4' && n !== 'tcp6')
      throw ConfigError.at(path, `network "${n}" is not supported yet (tcp, tcp4 and tcp6 are)`);
    network = n;
    rest = rest.slice(slash + 1);
  }
  let host: string;
  let portStr: string;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) throw ConfigError.at(path, `invalid address "${addr}": missing "]"`);
    host = rest.slice(1, end);
    portStr = rest[end + 1] === ':' ? rest.slice(end + 2) : '';
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon < 0) {
      host = rest;
      portStr = '';
    } else {
      host = rest.slice(0, colon);
      portStr = rest.slice(colon + 1);
    }
    if (host.includes(':')) throw ConfigError.at(path, `invalid address "${addr}": IPv6 hosts must be in brackets`);
  }
  if (portStr === '') {
    if (defaultPort === undefined) throw ConfigError.at(path, `invalid address "${addr}": missing port`);
    portStr = String(defaultPort);
  }
  const m = /^(\d+)(?:-(\d+))?$/.exec(portStr);
  if (!m) throw ConfigError.at(path, `invalid port "${portStr}" in "${addr}"`);
  const start = Number(m[1]);
  const end = m[2] !== undefined ? Number(m[2]) : start;
  if (start > 65535 || end > 65535) throw ConfigError.at(path, `port out of range in "${addr}"`);
  if (end < start) throw ConfigError.at(path, `invalid port range "${portStr}": end before start`);
  if (end - start > 1000) throw ConfigError.at(path, `port range "${portStr}" is too large`);
  return { network, host, startPort: start, endPort: end, original: addr };
}

/** Expands a range into single-port addresses. */
export function expandPorts(
  a: NetworkAddress,
): Array<{ host: string; port: number; network: NetworkAddress['network'] }> {
  const out = [];
  for (let p = a.startPort; p <= a.endPort; p++) out.push({ host: a.host, port: p, network: a.network });
  return out;
}
