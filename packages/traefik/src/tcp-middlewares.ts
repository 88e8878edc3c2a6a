/**
 * @module tcp-middlewares: Traefik's TCP middlewares as layer4 handlers placed before the service's proxy (Traefik
 * chains them in front of the service, after TLS termination).
 */
import { isIP } from 'node:net';
import type { Layer4Handler } from '@proxy/contract';
import type { Field } from './reader.js';

/**
 * `ipAllowList` (formerly `ipWhiteList`): connections from other sources are closed. A subroute that closes what is
 * outside the ranges and lets the rest fall through to the next handler.
 */
function ipAllowList(f: Field): Layer4Handler {
  const k = f.object(['sourceRange'], 'ipAllowList');
  const ranges = (k['sourceRange']?.items() ?? []).map((r) => {
    const v = r.string() ?? '';
    const [ip, bits, extra] = v.split('/');
    const family = isIP(ip ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !okBits || extra !== undefined)
      throw r.error(`${JSON.stringify(v)} is not an IP address or CIDR range`);
    return v;
  });
  if (ranges.length === 0) throw (k['sourceRange'] ?? f).error('ipAllowList needs a sourceRange');
  return {
    handler: 'subroute',
    routes: [{ match: [{ not: [{ remote_ip: { ranges } }] }], handle: [{ handler: 'close' }] }],
  };
}

/**
 * `inFlightConn`: at most `amount` simultaneous connections per client IP, the others closed: the runtime's own
 * `in_flight_conn` handler (caddy-l4 has none).
 */
function inFlightConn(f: Field): Layer4Handler {
  const k = f.object(['amount'], 'inFlightConn');
  const amount = k['amount']?.int();
  if (amount === undefined) throw f.error('inFlightConn needs an amount');
  if (amount < 1) throw k['amount']!.error('amount must be at least 1');
  return { handler: 'in_flight_conn', amount };
}

/** A TCP middleware definition as the handlers it becomes. */
export function readTcpMiddleware(m: Field): Layer4Handler[] {
  const k = m.object(['ipAllowList', 'ipWhiteList', 'inFlightConn'], 'a TCP middleware');
  const kinds = Object.keys(k);
  if (kinds.length !== 1) throw m.error('a TCP middleware has exactly one type (ipAllowList, inFlightConn)');
  if (k['inFlightConn']) return [inFlightConn(k['inFlightConn'])];
  return [ipAllowList((k['ipAllowList'] ?? k['ipWhiteList'])!)];
}
