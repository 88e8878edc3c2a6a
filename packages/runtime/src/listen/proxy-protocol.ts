/**
 * @module listen/proxy-protocol: the `proxy_protocol` listener wrapper (`caddy.listeners.proxy_protocol`):
 * reads a PROXY protocol v1/v2 header from trusted peers and makes its source the connection's remote address.
 */
import type { Duplex } from 'node:stream';
import type { ListenerWrapper } from '../listener-wrapper.js';
import { compileRanges, inRanges } from '../http/matchers/ip.js';
import { durationOr } from '@proxy/contract';
import { ConfigError, joinPath } from '../util/errors.js';

const V2_SIG = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

interface Parsed {
  consumed: number;
  src?: { address: string; port: number };
}

/** Parses a v1 or v2 header at the start of `b`; undefined = need more bytes; null = no header. */
export function parseProxyHeader(b: Buffer): Parsed | undefined | null {
  if (b.length >= 6 && b.subarray(0, 6).toString('latin1') === 'PROXY ') {
    const end = b.indexOf('\r\n');
    if (end < 0) return b.length > 107 ? null : undefined;
    const parts = b.subarray(0, end).toString('latin1').split(' ');
    if (parts[1] === 'UNKNOWN') return { consumed: end + 2 };
    if (parts.length !== 6 || (parts[1] !== 'TCP4' && parts[1] !== 'TCP6')) return null;
    return { consumed: end + 2, src: { address: parts[2]!, port: Number(parts[4]) } };
  }
  const k = Math.min(b.length, V2_SIG.length);
  if (!b.subarray(0, k).equals(V2_SIG.subarray(0, k))) return null;
  if (b.length < 16) return undefined;
  const len = b.readUInt16BE(14);
  if (b.length < 16 + len) return undefined;
  const cmd = b[12]! & 0x0f;
  const fam = b[13]! >> 4;
  const body = b.subarray(16, 16 + len);
  if (cmd === 0) return { consumed: 16 + len }; // LOCAL: keep the real peer
  if (fam === 1 && body.length >= 12)
    return { consumed: 16 + len, src: { address: [...body.subarray(0, 4)].join('.'), port: body.readUInt16BE(8) } };
  if (fam === 2 && body.length >= 36) {
    const groups = [];
    for (let i = 0; i < 16; i += 2) groups.push(body.readUInt16BE(i).toString(16));
    return {
      consumed: 16 + len,
      src: {
        address: groups
          .join(':')
          .replace(/\b(?:0:){2,}/, ':')
          .replace(/^0::/, '::'),
        port: body.readUInt16BE(32),
      },
    };
  }
  return { consumed: 16 + len };
}

/** Creates the wrapper. */
export function proxyProtocolWrapper(json: Record<string, unknown>, ctx: { path: string }): ListenerWrapper {
  const allow = Array.isArray(json['allow'])
    ? compileRanges(json['allow'] as string[], joinPath(ctx.path, 'allow'))
    : undefined;
  const deny = Array.isArray(json['deny'])
    ? compileRanges(json['deny'] as string[], joinPath(ctx.path, 'deny'))
    : undefined;
  const policy = String(json['fallback_policy'] ?? 'ignore');
  if (!['ignore', 'use', 'reject', 'require', 'skip'].includes(policy))
    throw ConfigError.at(joinPath(ctx.path, 'fallback_policy'), `unknown fallback policy "${policy}"`);
  const timeoutMs = durationOr(json['timeout'], 5000);
  return {
    name: 'proxy_protocol',
    async wrap(conn: Duplex, info) {
      // Peers in allow (and not in deny) have their header used; the others get the fallback policy.
      const trusted = (!allow || inRanges(allow, info.remoteAddress)) && !(deny && inRanges(deny, info.remoteAddress));
      const peerPolicy = trusted ? 'use' : policy;
      if (peerPolicy === 'skip') return conn;
      const parsed = await new Promise<Parsed | null>((resolve) => {
        let buf = Buffer.alloc(0);
        const finish = (v: Parsed | null) => {
          clearTimeout(t);
          conn.off('data', onData);
          conn.pause();
          const rest = v ? buf.subarray(v.consumed) : buf;
          if (rest.length) conn.unshift(rest);
          resolve(v);
        };
        const onData = (c: Buffer) => {
          buf = Buffer.concat([buf, c]);
          const p = parseProxyHeader(buf);
          if (p !== undefined) finish(p);
        };
        const t = setTimeout(() => finish(null), timeoutMs);
        conn.on('data', onData);
        conn.resume();
      });
      if (!parsed) {
        if (peerPolicy === 'require') {
          conn.destroy();
          return null;
        }
        return conn;
      }
      if (peerPolicy === 'reject') {
        conn.destroy();
        return null;
      }
      if (parsed.src && (peerPolicy === 'use' || peerPolicy === 'require')) {
        info.remoteAddress = parsed.src.address;
        info.remotePort = parsed.src.port;
      }
      return conn;
    },
  };
}
