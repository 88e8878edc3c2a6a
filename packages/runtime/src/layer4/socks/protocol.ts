/** @module layer4/socks/protocol: SOCKS5 wire formats (RFC 1928 addresses and replies, RFC 1929 auth). */
import net from 'node:net';
import { ipv6Bytes } from '../proxy/proxy-protocol-header.js';

export const REPLY = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

export const COMMANDS: Record<string, number> = { CONNECT: 1, BIND: 2, ASSOCIATE: 3 };

/** Encodes an address as ATYP + address + port. */
export function encodeAddress(host: string, port: number): Buffer {
  const ip = host.startsWith('::ffff:') && net.isIPv4(host.slice(7)) ? host.slice(7) : host;
  let head: Buffer;
  if (net.isIPv4(ip)) head = Buffer.from([1, ...ip.split('.').map(Number)]);
  else if (net.isIPv6(ip)) head = Buffer.concat([Buffer.from([4]), ipv6Bytes(ip)]);
  else {
    const name = Buffer.from(ip, 'utf8');
    head = Buffer.concat([Buffer.from([3, name.length]), name]);
  }
  const p = Buffer.alloc(2);
  p.writeUInt16BE(port);
  return Buffer.concat([head, p]);
}

/** Decodes ATYP + address + port at `offset`; 'more' if incomplete, null if the type is unknown. */
export function decodeAddress(
  buf: Buffer,
  offset: number,
): { host: string; port: number; end: number } | 'more' | null {
  if (buf.length <= offset) return 'more';
  const atyp = buf[offset]!;
  let len: number;
  let host: string;
  if (atyp === 1) {
    len = 4;
    if (buf.length < offset + 1 + len + 2) return 'more';
    host = [...buf.subarray(offset + 1, offset + 5)].join('.');
  } else if (atyp === 4) {
    len = 16;
    if (buf.length < offset + 1 + len + 2) return 'more';
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(offset + 1 + i).toString(16));
    host = groups.join(':');
  } else if (atyp === 3) {
    if (buf.length < offset + 2) return 'more';
    len = 1 + buf[offset + 1]!;
    if (buf.length < offset + 1 + len + 2) return 'more';
    host = buf.toString('utf8', offset + 2, offset + 1 + len);
  } else return null;
  return { host, port: buf.readUInt16BE(offset + 1 + len), end: offset + 1 + len + 2 };
}

/** A reply: VER REP RSV ATYP BND.ADDR BND.PORT. */
export function reply(code: number, host = '0.0.0.0', port = 0): Buffer {
  return Buffer.concat([Buffer.from([5, code, 0]), encodeAddress(host, port)]);
}

/** The reply code for a failed dial. */
export function replyForError(err: NodeJS.ErrnoException): number {
  switch (err.code) {
    case 'ECONNREFUSED':
      return REPLY.connectionRefused;
    case 'ENETUNREACH':
      return REPLY.networkUnreachable;
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
      return REPLY.hostUnreachable;
    default:
      return REPLY.generalFailure;
  }
}
