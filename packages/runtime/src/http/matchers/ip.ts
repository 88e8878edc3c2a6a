/** @module http/matchers/ip: `http.matchers.remote_ip` and `http.matchers.client_ip`. */
import { BlockList, isIP } from 'node:net';
import type { RuntimeModule } from '../../modules.js';
import { httpMatcherSchemas, PRIVATE_RANGES, type Schema } from '@proxy/contract';
import { ConfigError, joinPath } from '../../util/errors.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';

/** Compiles IP ranges ("10.0.0.0/8", "::1", "private_ranges") into a BlockList. */
export function compileRanges(ranges: string[], path: string): BlockList {
  const bl = new BlockList();
  for (const [i, raw] of ranges.entries()) {
    for (const range of raw === 'private_ranges' ? PRIVATE_RANGES : [raw]) {
      const [addr, bits] = range.split('/') as [string, string | undefined];
      const fam = isIP(addr);
      if (!fam) throw ConfigError.at(joinPath(path, i), `invalid IP or CIDR "${range}"`);
      const type = fam === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) bl.addAddress(addr, type);
      else {
        const n = Number(bits);
        if (!Number.isInteger(n) || n < 0 || n > (fam === 6 ? 128 : 32))
          throw ConfigError.at(joinPath(path, i), `invalid CIDR "${range}"`);
        bl.addSubnet(addr, n, type);
      }
    }
  }
  return bl;
}

/** Whether an address (possibly IPv4-mapped IPv6) is in the list. */
export function inRanges(bl: BlockList, addr: string): boolean {
  const a = addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
  const fam = isIP(a);
  if (!fam) return false;
  return bl.check(a, fam === 6 ? 'ipv6' : 'ipv4');
}

function ipMatcher(
  id: string,
  doc: string,
  schema: Schema,
  addrOf: (r: HttpRequest) => string,
): RuntimeModule<RequestMatcher> {
  return {
    id,
    kind: 'matcher',
    doc,
    schema,
    create(json, _ctx, path) {
      const bl = compileRanges((json as { ranges?: string[] }).ranges ?? [], joinPath(path, 'ranges'));
      return { match: (r) => inRanges(bl, addrOf(r)) };
    },
  };
}

export const remoteIpMatcher = ipMatcher(
  'http.matchers.remote_ip',
  "Matches the address of the connection's peer.",
  httpMatcherSchemas.remote_ip,
  (r) => r.conn.remoteAddress,
);
export const clientIpMatcher = ipMatcher(
  'http.matchers.client_ip',
  'Matches the client address (after trusted proxies).',
  httpMatcherSchemas.client_ip,
  (r) => {
    const v = r.vars.get('client_ip');
    return typeof v === 'string' ? v : r.conn.remoteAddress;
  },
);
