/** @module layer4/proxy/health: active (periodic dial) and passive (failure counting) health checks. */
import net from 'node:net';
import type { Logger } from 'pino';
import type { Layer4ProxyHealthChecks } from '@proxy/contract';
import { durationMs } from '../duration.js';
import type { Peer, Upstream } from './upstreams.js';

export interface PassiveHealth {
  /** Failures expire after this long; 0 disables passive checks. */
  failDurationMs: number;
  maxFails: number;
}

export function compilePassive(json: Layer4ProxyHealthChecks['passive'], path: string): PassiveHealth {
  return {
    failDurationMs: durationMs(json?.fail_duration, `${path}.fail_duration`, 0),
    maxFails: json?.max_fails ?? 1,
  };
}

/** Counts a failed dial against a peer for fail_duration. */
export function recordFailure(peer: Peer, passive: PassiveHealth, timers: Set<NodeJS.Timeout>): void {
  if (passive.failDurationMs <= 0) return;
  peer.fails++;
  const t = setTimeout(() => {
    timers.delete(t);
    peer.fails--;
  }, passive.failDurationMs);
  t.unref();
  timers.add(t);
}

/**
 * Starts active checks: every interval each peer is dialled (on `port` if set); `fall` consecutive failures
 * mark it unhealthy, `rise` consecutive successes healthy again. Returns the stop function.
 */
export function startActiveChecks(
  json: NonNullable<Layer4ProxyHealthChecks['active']>,
  path: string,
  upstreams: Upstream[],
  log: Logger,
  onUnhealthy: (peer: Peer) => void,
): () => void {
  const intervalMs = durationMs(json.interval, `${path}.interval`, 30_000);
  const timeoutMs = durationMs(json.timeout, `${path}.timeout`, 5_000);
  const fall = json.fall ?? 1;
  const rise = json.rise ?? 1;
  const streak = new Map<Peer, number>(); // >0 successes, <0 failures
  // TCP dials only: a UDP peer has no handshake to check
  const peers = upstreams.flatMap((u) => u.peers).filter((p) => !p.address.network.startsWith('udp'));
  let stopped = false;
  const check = (peer: Peer): void => {
    const a = peer.address;
    const sock =
      a.network === 'unix'
        ? net.connect({ path: a.path! })
        : net.connect({ host: a.host === '' ? 'localhost' : a.host, port: json.port ?? a.port });
    const timer = setTimeout(() => sock.destroy(new Error('timeout')), timeoutMs);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      if (stopped) return;
      const s = streak.get(peer) ?? 0;
      const next = ok ? Math.max(0, s) + 1 : Math.min(0, s) - 1;
      streak.set(peer, next);
      if (ok && !peer.healthy && next >= rise) {
        peer.healthy = true;
        log.info({ upstream: peer.dial }, 'upstream healthy');
      } else if (!ok && peer.healthy && -next >= fall) {
        peer.healthy = false;
        log.warn({ upstream: peer.dial }, 'upstream unhealthy');
        onUnhealthy(peer);
      }
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  };
  const run = (): void => peers.forEach(check);
  run();
  const interval = setInterval(run, intervalMs);
  interval.unref();
  return () => {
    stopped = true;
    clearInterval(interval);
  };
}
