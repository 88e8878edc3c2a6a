/** @module layer4/proxy/address: Caddy network addresses ("tcp/host:port", "[::1]:5432", "unix//p.sock"). */
import { Layer4ConfigError } from '../errors.js';

export interface NetworkAddress {
  network: 'tcp' | 'tcp4' | 'tcp6' | 'udp' | 'udp4' | 'udp6' | 'unix';
  host: string;
  /** First port; `portEnd` > `port` for a listen range. */
  port: number;
  portEnd: number;
  /** Unix socket path. */
  path?: string;
}

const NETWORKS = new Set(['tcp', 'tcp4', 'tcp6', 'udp', 'udp4', 'udp6', 'unix']);

/** Parses a network address; `allowRange` permits "host:1000-1010". */
export function parseNetworkAddress(raw: string, path: string, allowRange = false): NetworkAddress {
  let network = 'tcp';
  let rest = raw;
  const slash = raw.indexOf('/');
  if (slash > 0 && NETWORKS.has(raw.slice(0, slash).toLowerCase())) {
    network = raw.slice(0, slash).toLowerCase();
    rest = raw.slice(slash + 1);
  }
  if (network === 'unix') {
    if (rest === '') throw new Layer4ConfigError(path, `unix address ${JSON.stringify(raw)} has no path`);
    return { network: 'unix', host: '', port: 0, portEnd: 0, path: rest };
  }
  let host: string;
  let portText: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':')
      throw new Layer4ConfigError(path, `invalid address ${JSON.stringify(raw)}`);
    host = rest.slice(1, close);
    portText = rest.slice(close + 2);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon < 0) throw new Layer4ConfigError(path, `address ${JSON.stringify(raw)} has no port`);
    host = rest.slice(0, colon);
    portText = rest.slice(colon + 1);
  }
  const m = /^(\d+)(?:-(\d+))?$/.exec(portText);
  if (!m) throw new Layer4ConfigError(path, `invalid port in ${JSON.stringify(raw)}`);
  const port = Number(m[1]);
  const portEnd = m[2] === undefined ? port : Number(m[2]);
  if (port > 65535 || portEnd > 65535 || portEnd < port) {
    throw new Layer4ConfigError(path, `invalid port range in ${JSON.stringify(raw)}`);
  }
  if (portEnd !== port && !allowRange)
    throw new Layer4ConfigError(path, `port ranges are not allowed here: ${JSON.stringify(raw)}`);
  return { network: network as NetworkAddress['network'], host, port, portEnd };
}
