/** @module layer4/proxy/proxy-protocol-header: PROXY protocol v1/v2 headers (building and parsing). */
import net from 'node:net';

/** v2 signature: \r\n\r\n\0\r\nQUIT\n */
export const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

export interface ProxiedAddresses {
  sourceAddress: string;
  sourcePort: number;
  destAddress: string;
  destPort: number;
}

function unmap(ip: string): string {
  return ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** Builds the header a proxy sends before the client's bytes. */
export function buildProxyHeader(version: 'v1' | 'v2', a: ProxiedAddresses): Buffer {
  const src = unmap(a.sourceAddress);
  const dst = unmap(a.destAddress);
  const v4 = net.isIPv4(src) && net.isIPv4(dst);
  const v6 = !v4 && net.isIP(src) !== 0 && net.isIP(dst) !== 0;
  if (version === 'v1') {
    if (!v4 && !v6) return Buffer.from('PROXY UNKNOWN\r\n', 'ascii');
    const fam = v4 ? 'TCP4' : 'TCP6';
    const s = v4 ? src : toV6(src);
    const d = v4 ? dst : toV6(dst);
    return Buffer.from(`PROXY ${fam} ${s} ${d} ${a.sourcePort} ${a.destPort}\r\n`, 'ascii');
  }
  if (!v4 && !v6) {
    const h = Buffer.alloc(16);
    V2_SIGNATURE.copy(h);
    h[12] = 0x20; // v2, LOCAL
    return h;
  }
  const addrLen = v4 ? 12 : 36;
  const h = Buffer.alloc(16 + addrLen);
  V2_SIGNATURE.copy(h);
  h[12] = 0x21; // v2, PROXY
  h[13] = v4 ? 0x11 : 0x21; // AF_INET/AF_INET6, STREAM
  h.writeUInt16BE(addrLen, 14);
  if (v4) {
    ipv4Bytes(src).copy(h, 16);
    ipv4Bytes(dst).copy(h, 20);
    h.writeUInt16BE(a.sourcePort, 24);
    h.writeUInt16BE(a.destPort, 26);
  } else {
    ipv6Bytes(toV6(src)).copy(h, 16);
    ipv6Bytes(toV6(dst)).copy(h, 32);
    h.writeUInt16BE(a.sourcePort, 48);
    h.writeUInt16BE(a.destPort, 50);
  }
  return h;
}

function toV6(ip: string): string {
  return net.isIPv4(ip) ? `::ffff:${ip}` : ip;
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/** 16 bytes of an IPv6 address (including "::ffff:a.b.c.d"). */
export function ipv6Bytes(ip: string): Buffer {
  let text = ip;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    text = text.slice(0, lastColon) + (text[lastColon - 1] === ':' ? ':' : '');
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const hs = head
    ? head
        .split(':')
        .filter((x) => x !== '')
        .map((x) => parseInt(x, 16))
    : [];
  const rs = rest !== undefined && rest !== '' ? rest.split(':').map((x) => parseInt(x, 16)) : [];
  const groups = [...hs, ...new Array<number>(8 - hs.length - rs.length - tail.length).fill(0), ...rs, ...tail];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
}

function ipv6Text(b: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export type ParsedHeader =
  | { kind: 'proxy'; length: number; addresses: ProxiedAddresses }
  | { kind: 'local'; length: number }
  | 'more'
  | null;

/** Parses a v1 or v2 header at the start of `buf`; 'more' if incomplete, null if not a header. */
export function parseProxyHeader(buf: Buffer): ParsedHeader {
  if (buf.length === 0) return 'more';
  if (buf[0] === 0x50) return parseV1(buf);
  if (buf[0] === 0x0d) return parseV2(buf);
  return null;
}

function parseV1(buf: Buffer): ParsedHeader {
  const prefix = Math.min(buf.length, 6);
  if (!buf.subarray(0, prefix).equals(Buffer.from('PROXY ', 'ascii').subarray(0, prefix))) return null;
  const end = buf.indexOf('\r\n', 0, 'latin1');
  if (end < 0) return buf.length >= 107 ? null : 'more';
  const parts = buf.toString('latin1', 0, end).split(' ');
  if (parts[1] === 'UNKNOWN') return { kind: 'local', length: end + 2 };
  if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) return null;
  const [, , s, d, sp, dp] = parts;
  if (net.isIP(s!) === 0 || net.isIP(d!) === 0) return null;
  const sourcePort = Number(sp);
  const destPort = Number(dp);
  if (!(sourcePort >= 0 && sourcePort <= 65535 && destPort >= 0 && destPort <= 65535)) return null;
  return { kind: 'proxy', length: end + 2, addresses: { sourceAddress: s!, sourcePort, destAddress: d!, destPort } };
}

function parseV2(buf: Buffer): ParsedHeader {
  const n = Math.min(buf.length, 12);
  if (!buf.subarray(0, n).equals(V2_SIGNATURE.subarray(0, n))) return null;
  if (buf.length < 16) return 'more';
  const verCmd = buf[12]!;
  if (verCmd >> 4 !== 2) return null;
  const len = buf.readUInt16BE(14);
  if (buf.length < 16 + len) return 'more';
  const total = 16 + len;
  if ((verCmd & 0xf) === 0) return { kind: 'local', length: total };
  const fam = buf[13]! >> 4;
  if (fam === 1 && len >= 12) {
    return {
      kind: 'proxy',
      length: total,
      addresses: {
        sourceAddress: [...buf.subarray(16, 20)].join('.'),
        destAddress: [...buf.subarray(20, 24)].join('.'),
        sourcePort: buf.readUInt16BE(24),
        destPort: buf.readUInt16BE(26),
      },
    };
  }
  if (fam === 2 && len >= 36) {
    return {
      kind: 'proxy',
      length: total,
      addresses: {
        sourceAddress: ipv6Text(buf.subarray(16, 32)),
        destAddress: ipv6Text(buf.subarray(32, 48)),
        sourcePort: buf.readUInt16BE(48),
        destPort: buf.readUInt16BE(50),
      },
    };
  }
  return { kind: 'local', length: total };
}
