/** @module layer4/proxy/selection: load-balancing policies (layer4.proxy.selection_policies.*). */
import { createHash } from 'node:crypto';
import type { Layer4ProxyLoadBalancing } from '@proxy/contract';
import { Layer4ConfigError } from '../errors.js';
import type { Upstream } from './upstreams.js';

/** Picks one of the available upstreams for a client, or undefined. */
export type SelectionPolicy = (available: Upstream[], all: Upstream[], clientIp: string) => Upstream | undefined;

const random = (list: Upstream[]): Upstream | undefined => list[Math.floor(Math.random() * list.length)];

function leastConn(list: Upstream[]): Upstream | undefined {
  let best: Upstream[] = [];
  let min = Infinity;
  for (const u of list) {
    if (u.conns < min) {
      min = u.conns;
      best = [u];
    } else if (u.conns === min) best.push(u);
  }
  return random(best);
}

export function compileSelection(json: Layer4ProxyLoadBalancing['selection'], path: string): SelectionPolicy {
  const policy = json?.policy ?? 'random';
  switch (policy) {
    case 'random':
      return (available) => random(available);
    case 'first':
      return (available, all) => all.find((u) => available.includes(u));
    case 'least_conn':
      return (available) => leastConn(available);
    case 'random_choose': {
      const choose = json?.choose ?? 2;
      if (!Number.isInteger(choose) || choose < 1)
        throw new Layer4ConfigError(`${path}.choose`, 'must be a positive integer');
      return (available) => {
        const pool = [...available];
        const picked: Upstream[] = [];
        while (picked.length < choose && pool.length > 0)
          picked.push(pool.splice(Math.floor(Math.random() * pool.length), 1)[0]!);
        return leastConn(picked);
      };
    }
    case 'round_robin': {
      let counter = 0;
      return (available, all) => {
        for (let i = 0; i < all.length; i++) {
          const u = all[counter++ % all.length]!;
          if (available.includes(u)) return u;
        }
        return undefined;
      };
    }
    case 'weighted_round_robin': {
      let counter = 0;
      return (available) => {
        const total = available.reduce((n, u) => n + Math.max(0, u.weight), 0);
        if (total === 0) return undefined;
        let slot = counter++ % total;
        for (const u of available) {
          slot -= Math.max(0, u.weight);
          if (slot < 0) return u;
        }
        return undefined;
      };
    }
    case 'ip_hash':
      return (available, _all, clientIp) => {
        if (available.length === 0) return undefined;
        const h = createHash('sha1').update(clientIp).digest().readUInt32BE(0);
        return available[h % available.length];
      };
    default:
      throw new Layer4ConfigError(`${path}.policy`, `unknown selection policy ${JSON.stringify(policy)}`);
  }
}
