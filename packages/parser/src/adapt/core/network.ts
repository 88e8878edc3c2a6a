/** @module network: Caddy's network addresses (`caddy.SplitNetworkAddress`, `ParseNetworkAddress`, `String`). */
import { joinHostPort, trySplitHostPort } from './net.js';

/** Unix socket networks. */
export function isUnixNetwork(n: string): boolean {
  return n === 'unix' || n === 'unixgram' || n === 'unixpacket';
}

/** File-descriptor networks. */
export function isFdNetwork(n: string): boolean {
  return n === 'fd' || n === 'fdgram';
}

/** Caddy's `SplitNetworkAddress`. */
export function splitNetworkAddress(a: string): { network: string; host: string; port: string } {
  let network = '';
  const slash = a.indexOf('/');
  if (slash >= 0) {
    network = a.slice(0, slash).trim().toLowerCase();
    a = a.slice(slash + 1);
    if (isUnixNetwork(network) || isFdNetwork(network)) return { network, host: a, port: '' };
  }
  const first = trySplitHostPort(a);
  if (typeof first !== 'string') return { network, host: first[0], port: first[1] };
  const second = trySplitHostPort(joinHostPort(a.replace(/^\[+|\]+$/g, ''), '0'));
  if (typeof second === 'string') throw new Error(`${first}\n${second}`);
  return { network, host: second[0], port: '' };
}

/** Caddy's `JoinNetworkAddress`. */
export function joinNetworkAddress(network: string, host: string, port: string): string {
  let a = network !== '' ? network + '/' : '';
  if ((host !== '' && port === '') || isUnixNetwork(network) || isFdNetwork(network)) a += host;
  else if (port !== '') a += joinHostPort(host, port);
  return a;
}

/** Parses with `ParseNetworkAddress` and prints with `NetworkAddress.String()`. */
export function canonicalNetworkAddress(addr: string): string {
  let { network, host, port } = splitNetworkAddress(addr);
  if (network === '') network = 'tcp';
  if (isUnixNetwork(network) || isFdNetwork(network)) return joinNetworkAddress(network, host, '');
  let portText = '';
  if (port !== '') {
    const dash = port.indexOf('-');
    const before = dash >= 0 ? port.slice(0, dash) : port;
    const after = dash >= 0 ? port.slice(dash + 1) : port;
    const start = parseUint16(before, 'start');
    const end = parseUint16(after, 'end');
    if (end < start) throw new Error('end port must not be less than start port');
    portText = start === end ? String(start) : `${start}-${end}`;
  } else portText = '0';
  if (network === 'tcp' && (host !== '' || portText !== '')) network = '';
  return joinNetworkAddress(network, host, portText);
}

function parseUint16(s: string, which: string): number {
  if (!/^\d+$/.test(s) || Number(s) > 65535) {
    const why = /^\d+$/.test(s) ? 'value out of range' : 'invalid syntax';
    throw new Error(`invalid ${which} port: strconv.ParseUint: parsing "${s}": ${why}`);
  }
  return Number(s);
}
