/** @module http/handlers/reverse-proxy/selection: load-balancing selection policies (`http.reverse_proxy.selection_policies.*`). */
import { createHash, randomInt } from 'node:crypto';
import type { LoadBalancing } from '../../../config/reverse-proxy.js';
import { ConfigError, joinPath } from '../../../util/errors.js';
import type { HttpRequest } from '../../request.js';
import type { UpstreamHost } from './upstream.js';

/** Picks one of the available upstreams, or undefined when none fits. */
export type Selector = (pool: UpstreamHost[], r: HttpRequest) => UpstreamHost | undefined;

type PolicyConfig = NonNullable<LoadBalancing['selection_policy']>;

/** Known policy names. */
export const POLICIES = ['random', 'random_choose', 'least_conn', 'round_robin', 'weighted_round_robin', 'first',
  'ip_hash', 'client_ip_hash', 'uri_hash', 'query', 'header', 'cookie'];

function hashIndex(key: string, n: number): number {
  const d = createHash('sha1').update(key).digest();
  return d.readUInt32BE(0) % n;
}

/** Rendezvous-style hash over available hosts, so a dead host only moves its own keys. */
function hashPick(pool: UpstreamHost[], key: string): UpstreamHost | undefined {
  if (pool.length === 0) return undefined;
  let best: UpstreamHost | undefined;
  let bestScore = -1;
  for (const h of pool) {
    const score = hashIndex(`${h.dial}\0${key}`, 0xffffffff);
    if (score > bestScore) { best = h; bestScore = score; }
  }
  return best;
}

const random: Selector = (pool) => (pool.length ? pool[randomInt(pool.length)] : undefined);

/** Compiles a selection policy. */
export function compileSelection(cfg: PolicyConfig | undefined, path: string): Selector {
  const name = cfg?.policy ?? 'random';
  switch (name) {
    case 'random': return random;
    case 'random_choose': {
      const k = Math.max(1, Number(cfg?.choose ?? 2));
      return (pool) => {
        if (!pool.length) return undefined;
        let best: UpstreamHost | undefined;
        for (let i = 0; i < k; i++) { const h = pool[randomInt(pool.length)]!; if (!best || h.inFlight < best.inFlight) best = h; }
        return best;
      };
    }
    case 'least_conn': return (pool) => {
      let best: UpstreamHost[] = [];
      for (const h of pool) {
        if (!best.length || h.inFlight < best[0]!.inFlight) best = [h];
        else if (h.inFlight === best[0]!.inFlight) best.push(h);
      }
      return best.length ? best[randomInt(best.length)] : undefined;
    };
    case 'round_robin': {
      let next = 0;
      return (pool, _r) => (pool.length ? pool[next++ % pool.length] : undefined);
    }
    case 'weighted_round_robin': {
      const weights = (cfg?.weights ?? []) as number[];
      let n = 0;
      return (pool) => {
        if (!pool.length) return undefined;
        const total = pool.reduce((a, _h, i) => a + (weights[i] ?? 1), 0);
        let x = n++ % Math.max(total, 1);
        for (const [i, h] of pool.entries()) { x -= weights[i] ?? 1; if (x < 0) return h; }
        return pool[0];
      };
    }
    case 'first': return (pool) => pool[0];
    case 'ip_hash': return (pool, r) => hashPick(pool, r.conn.remoteAddress);
    case 'client_ip_hash': return (pool, r) => hashPick(pool, String(r.vars.get('client_ip') ?? r.conn.remoteAddress));
    case 'uri_hash': return (pool, r) => hashPick(pool, r.uri);
    case 'query':
    case 'header':
    case 'cookie': {
      const key = String(name === 'header' ? cfg?.field ?? '' : name === 'cookie' ? cfg?.name ?? 'lb' : cfg?.key ?? '');
      const fallback = compileSelection(cfg?.fallback as PolicyConfig | undefined ?? { policy: 'random' }, joinPath(path, 'fallback'));
      const value = (r: HttpRequest): string => {
        if (name === 'query') return r.queryParams.get(key) ?? '';
        if (name === 'header') return r.headers.values(key).join(',');
        for (const c of r.headers.values('cookie').join(';').split(';')) { const [k, v] = c.trim().split('='); if (k === key) return v ?? ''; }
        return '';
      };
      return (pool, r) => { const v = value(r); return v ? hashPick(pool, v) : fallback(pool, r); };
    }
    default:
      throw ConfigError.at(joinPath(path, 'policy'), `unknown selection policy "${name}"`);
  }
}
