/** @module layer4/matchers/rdp: `layer4.matchers.rdp` — an RDP Connection Request (TPKT + X.224), with cookie/token conditions. */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { IpRanges } from '../ip-ranges.js';
import { compileGoRegexp } from '../regexp.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

/** What follows the X.224 header of a Connection Request (MS-RDPBCGR 2.2.1.1). */
interface ConnectionRequest {
  /** "Cookie: mstshash=<hash>" */
  cookieHash?: string;
  /** "Cookie: msts=<ip>.<port>.<reserved>" routing token, decoded. */
  cookieIp?: string;
  cookiePort?: number;
  /** Any other CRLF-terminated line before the negotiation request. */
  customInfo?: string;
}

/** Parses the request in `b`: 'more' while incomplete, null when it is not one. */
function parse(b: Buffer): ConnectionRequest | 'more' | null {
  if (b.length >= 1 && b[0] !== 3) return null;
  if (b.length >= 2 && b[1] !== 0) return null;
  if (b.length < 4) return 'more';
  const total = b.readUInt16BE(2);
  if (total < 11) return null;
  if (b.length >= 6 && b[5] !== 0xe0) return null; // X.224 CR TPDU
  if (b.length < total) return 'more';
  const li = b[4]!;
  if (li + 5 !== total || b.readUInt16BE(6) !== 0) return null; // length indicator, DST-REF = 0
  const rest = b.subarray(11, total);
  const out: ConnectionRequest = {};
  const crlf = rest.indexOf('\r\n', 0, 'latin1');
  if (crlf >= 0) {
    const line = rest.toString('latin1', 0, crlf);
    const hash = /^Cookie: mstshash=(.*)$/.exec(line);
    const token = /^Cookie: msts=(\d+)\.(\d+)\.\d+$/.exec(line);
    if (hash) out.cookieHash = hash[1]!;
    else if (token) {
      // the address and port are little-endian values written in decimal
      const ip = Number(token[1]);
      const port = Number(token[2]);
      out.cookieIp = [ip & 0xff, (ip >>> 8) & 0xff, (ip >>> 16) & 0xff, ip >>> 24].join('.');
      out.cookiePort = ((port & 0xff) << 8) | (port >>> 8);
    } else out.customInfo = line;
  } else if (rest.length > 0 && rest[0] !== 0x01) {
    return null; // neither a CRLF line nor an RDP_NEG_REQ
  }
  return out;
}

export const createRdpMatcher: MatcherFactory = (json, path) => {
  const cfg = (json ?? {}) as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = cfg[k];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new Layer4ConfigError(`${path}.${k}`, 'expected a string');
    return v;
  };
  const hash = str('cookie_hash');
  const hashRe = str('cookie_hash_regexp');
  const info = str('custom_info');
  const infoRe = str('custom_info_regexp');
  const groups = [hash || hashRe, cfg['cookie_ips'] || cfg['cookie_ports'], info || infoRe].filter(Boolean).length;
  if (groups > 1)
    throw new Layer4ConfigError(path, 'cookie_hash*, cookie_ips/cookie_ports and custom_info* are mutually exclusive');
  const hashRx = hashRe ? compileGoRegexp(hashRe, `${path}.cookie_hash_regexp`) : undefined;
  const infoRx = infoRe ? compileGoRegexp(infoRe, `${path}.custom_info_regexp`) : undefined;
  const ips = cfg['cookie_ips'] === undefined ? undefined : new IpRanges(cfg['cookie_ips'], `${path}.cookie_ips`);
  const ports = cfg['cookie_ports'] === undefined ? undefined : new Set((cfg['cookie_ports'] as unknown[]).map(Number));
  return {
    match(cx: Connection) {
      const r = parse(cx.buffer);
      if (r === 'more') return MORE;
      if (r === null) return false;
      if (r.cookieHash !== undefined) cx.vars.set('l4.rdp.cookie_hash', r.cookieHash);
      if (r.cookieIp !== undefined) {
        cx.vars.set('l4.rdp.cookie_ip', r.cookieIp);
        cx.vars.set('l4.rdp.cookie_port', String(r.cookiePort));
      }
      if (r.customInfo !== undefined) cx.vars.set('l4.rdp.custom_info', r.customInfo);
      if (hash !== undefined && r.cookieHash !== hash) return false;
      if (hashRx && (r.cookieHash === undefined || !hashRx.test(r.cookieHash))) return false;
      if (ips && (r.cookieIp === undefined || !ips.has(r.cookieIp))) return false;
      if (ports && (r.cookiePort === undefined || !ports.has(r.cookiePort))) return false;
      if (info !== undefined && r.customInfo !== info) return false;
      if (infoRx && (r.customInfo === undefined || !infoRx.test(r.customInfo))) return false;
      return true;
    },
  };
};
