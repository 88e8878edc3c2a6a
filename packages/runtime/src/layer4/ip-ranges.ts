/** @module layer4/ip-ranges: IP/CIDR lists compiled into a BlockList (remote_ip, local_ip, proxy_protocol allow/deny). */
import net from 'node:net';
import { expandPrivateRanges } from '@proxy/contract';
import { Layer4ConfigError } from './errors.js';

/** Normalizes "::ffff:1.2.3.4" to "1.2.3.4". */
export function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** A compiled list of ranges. */
export class IpRanges {
  private readonly list = new net.BlockList();
  readonly empty: boolean;

  constructor(ranges: unknown, path: string) {
    if (ranges !== undefined && !Array.isArray(ranges))
      throw new Layer4ConfigError(path, 'expected an array of IP ranges');
    const all = expandPrivateRanges<unknown>(ranges ?? []);
    all.forEach((r: unknown, i: number) => this.add(r, `${path}[${i}]`));
    this.empty = all.length === 0;
  }

  private add(r: unknown, path: string): void {
    if (typeof r !== 'string') throw new Layer4ConfigError(path, 'expected a string');
    const [ip, bits] = r.split('/');
    const family = net.isIP(ip ?? '');
    if (family === 0) throw new Layer4ConfigError(path, `invalid IP range ${JSON.stringify(r)}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      this.list.addAddress(ip!, type);
      return;
    }
    const prefix = Number(bits);
    if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) {
      throw new Layer4ConfigError(path, `invalid prefix length in ${JSON.stringify(r)}`);
    }
    this.list.addSubnet(ip!, prefix, type);
  }

  has(address: string): boolean {
    const ip = plainIp(address);
    const family = net.isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}
