/** @module http/handlers/reverse-proxy/selection: load-balancing selection policies (`http.reverse_proxy.selection_policies.*`). */
import { createHmac, randomInt } from 'node:crypto';
import { durationOr, type LoadBalancing } from '@proxy/contract';
import { ConfigError, joinPath } from '../../../util/errors.js';
import { canonicalKey } from '../../canonical-key.js';
import type { HttpRequest } from '../../request.js';
import type { ResponseWriter } from '../../response.js';
import type { UpstreamHost } from './upstream.js';

/**
 * Picks one of the available upstreams (`pool`), or undefined when none fits. `all` is every candidate in
 * configured order, available or not, for the policies whose pick depends on position (round_robin).
 */
export type Selector = (
  pool: UpstreamHost[],
  r: HttpRequest,
  w?: ResponseWriter,
  all?: UpstreamHost[],
) => UpstreamHost | undefined;

type PolicyConfig = NonNullable<LoadBalancing['selection_policy']>;

/** Known policy names. */
export const POLICIES = [
  'random',
  'random_choose',
  'least_conn',
  'round_robin',
  'weighted_round_robin',
  'first',
  'ip_hash',
  'client_ip_hash',
  'uri_hash',
  'query',
  'header',
  'cookie',
];

/** Go's hash/fnv 32-bit FNV-1a over the UTF-8 bytes of `s`. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * Caddy's hostByHashing: highest random weight over fnv32a(key + dial as configured), so a dead host only moves
 * its own keys and the same key picks the same upstream as Caddy 2.6.2. Current Caddy may hash with xxhash
 * instead; 2.6.2's function is followed because it is the one we can check against.
 */
function hashPick(pool: UpstreamHost[], key: string): UpstreamHost | undefined {
  let best: UpstreamHost | undefined;
  let bestScore = 0;
  for (const h of pool) {
    // Strictly greater, from 0, as Caddy: a host hashing to 0 is never picked by its own score.
    const score = fnv32a(key + h.name);
    if (score > bestScore) {
      best = h;
      bestScore = score;
    }
  }
  return best;
}

const random: Selector = (pool) => (pool.length ? pool[randomInt(pool.length)] : undefined);

/** Compiles a selection policy. */
export function compileSelection(cfg: PolicyConfig | undefined, path: string): Selector {
  const name = cfg?.policy ?? 'random';
  switch (name) {
    case 'random':
      return random;
    case 'random_choose': {
      const k = Math.max(1, Number(cfg?.choose ?? 2));
      return (pool) => {
        if (!pool.length) return undefined;
        let best: UpstreamHost | undefined;
        for (let i = 0; i < k; i++) {
          const h = pool[randomInt(pool.length)]!;
          if (!best || h.inFlight < best.inFlight) best = h;
        }
        return best;
      };
    }
    case 'least_conn':
      return (pool) => {
        let best: UpstreamHost[] = [];
        for (const h of pool) {
          if (!best.length || h.inFlight < best[0]!.inFlight) best = [h];
          else if (h.inFlight === best[0]!.inFlight) best.push(h);
        }
        return best.length ? best[randomInt(best.length)] : undefined;
      };
    case 'round_robin': {
      // Caddy increments before it picks, so the first request goes to the second upstream; it walks the whole
      // list, stepping over unavailable upstreams, so one going down does not shift the others' turns.
      let robin = 0;
      return (pool, _r, _w, all = pool) => {
        const n = all.length;
        for (let i = 0; i < n; i++) {
          robin = (robin + 1) >>> 0;
          const h = all[robin % n]!;
          if (all === pool || pool.includes(h)) return h;
        }
        return undefined;
      };
    }
    case 'weighted_round_robin': {
      const weights = (cfg?.weights ?? []) as number[];
      let n = 0;
      return (pool) => {
        if (!pool.length) return undefined;
        const total = pool.reduce((a, _h, i) => a + (weights[i] ?? 1), 0);
        let x = n++ % Math.max(total, 1);
        for (const [i, h] of pool.entries()) {
          x -= weights[i] ?? 1;
          if (x < 0) return h;
        }
        return pool[0];
      };
    }
    case 'first':
      return (pool) => pool[0];
    case 'ip_hash':
      return (pool, r) => hashPick(pool, r.conn.remoteAddress);
    case 'client_ip_hash':
      return (pool, r) => hashPick(pool, String(r.vars.get('client_ip') ?? r.conn.remoteAddress));
    case 'uri_hash':
      return (pool, r) => hashPick(pool, r.uri);
    case 'query':
    case 'header': {
      const key = String(name === 'header' ? (cfg?.field ?? '') : (cfg?.key ?? ''));
      const fallback = compileSelection(
        (cfg?.fallback as PolicyConfig | undefined) ?? { policy: 'random' },
        joinPath(path, 'fallback'),
      );
      const canonical = canonicalKey(key);
      // Go's Header.Get and Query().Get: the first value; Host lives in the request line, not the header map.
      const value =
        name === 'query'
          ? (r: HttpRequest): string => r.queryParams.get(key) ?? ''
          : (r: HttpRequest): string => (canonical === 'Host' ? r.hostport : (r.headers.get(key) ?? ''));
      return (pool, r, w, all) => {
        const v = value(r);
        return v ? hashPick(pool, v) : fallback(pool, r, w, all);
      };
    }
    case 'cookie':
      return cookieSelection(cfg, path);
    default:
      throw ConfigError.at(joinPath(path, 'policy'), `unknown selection policy "${name}"`);
  }
}

/**
 * Caddy's cookie policy: the cookie holds HMAC-SHA256(secret, dial) of the chosen upstream; without a cookie that
 * names an available upstream, the fallback picks one and the cookie is set for it (Secure and SameSite=None over
 * HTTPS, as current Caddy does).
 */
function cookieSelection(cfg: PolicyConfig | undefined, path: string): Selector {
  const name = String(cfg?.name ?? 'lb') || 'lb';
  const secret = String(cfg?.secret ?? '');
  const maxAge = Math.floor(durationOr(cfg?.max_age as string | number | undefined, 0) / 1000);
  const fallback = compileSelection(
    (cfg?.fallback as PolicyConfig | undefined) ?? { policy: 'random' },
    joinPath(path, 'fallback'),
  );
  const sign = (h: UpstreamHost): string => createHmac('sha256', secret).update(h.name).digest('hex');
  return (pool, r, w, all) => {
    const got = cookieValue(r, name);
    if (got !== undefined) for (const h of pool) if (sign(h) === got) return h;
    const h = fallback(pool, r, w, all);
    if (h && w) {
      const secure =
        r.scheme === 'https' ||
        (r.vars.get('trusted_proxy') === true && r.headers.values('x-forwarded-proto').at(-1) === 'https');
      w.header.add(
        'Set-Cookie',
        `${name}=${sign(h)}; Path=/${maxAge > 0 ? `; Max-Age=${maxAge}` : ''}${secure ? '; Secure; SameSite=None' : ''}`,
      );
    }
    return h;
  };
}

/** The first cookie called `name` in the request, as Go's Request.Cookie. */
function cookieValue(r: HttpRequest, name: string): string | undefined {
  for (const line of r.headers.values('cookie')) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq >= 0 && part.slice(0, eq).trim() === name)
        return part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1');
    }
  }
  return undefined;
}
