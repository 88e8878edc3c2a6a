/** @module layer4/handlers/proxy: `layer4.handlers.proxy` — load-balanced TCP proxy, PostgreSQL-aware when the stream is. */
import type { Duplex } from 'node:stream';
import type { Layer4ProxyHandler } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { durationMs } from '../duration.js';
import { Layer4ConfigError } from '../errors.js';
import { forwardCancel } from '../postgres/cancel.js';
import type { CancelTarget } from '../postgres/cancel-keys.js';
import { endWith } from '../postgres/fallback.js';
import { backendKeyScanner, tapBackendKey } from '../postgres/key-tap.js';
import { errorResponse, parseFirstMessage, SQLSTATE, type FirstMessage } from '../postgres/messages.js';
import { compilePassive, recordFailure, startActiveChecks, type PassiveHealth } from '../proxy/health.js';
import { buildProxyHeader } from '../proxy/proxy-protocol-header.js';
import { compileSelection, type SelectionPolicy } from '../proxy/selection.js';
import { RecycledReads } from '../proxy/recycled-reads.js';
import { splice } from '../proxy/splice.js';
import { parseClientHello } from '../tls/client-hello.js';
import { compileUpstream, postgresSslRequest, upstreamTls, Upstream, type Peer } from '../proxy/upstreams.js';
import type { Compiler, Handler, Layer4Runtime, Next } from '../types.js';

/** Bound on waiting for the client's first message after TLS termination. */
const FIRST_MESSAGE_TIMEOUT_MS = 10_000;

/** How the client's stream relates to PostgreSQL, which decides what the proxy adds. */
type PostgresMode = 'plain' | 'starttls-passthrough' | undefined;

class ProxyHandlerImpl implements Handler {
  private readonly live = new Map<Peer, Set<Duplex>>();
  private readonly failTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly upstreams: Upstream[],
    private readonly select: SelectionPolicy,
    private readonly passive: PassiveHealth,
    private readonly tryDurationMs: number,
    private readonly tryIntervalMs: number,
    private readonly proxyProtocol: 'v1' | 'v2' | undefined,
    private readonly runtime: Layer4Runtime,
  ) {
    runtime.closers.push(() => this.failTimers.forEach((t) => clearTimeout(t)));
  }

  /** Force-closes a peer's connections (close_if_unhealthy). */
  closePeer(peer: Peer): void {
    for (const s of this.live.get(peer) ?? []) s.destroy();
  }

  async handle(cx: Connection, _next: Next): Promise<void> {
    const mode = postgresMode(cx);
    const first = mode === 'plain' ? await firstMessage(cx) : null;
    if (first && first.kind === 'cancel') {
      if (this.runtime.cancelKeys.lookup(first.processId, first.secretKey)) {
        await forwardCancel(cx, first.processId, first.secretKey, this.runtime);
        return;
      }
    }
    const start = performance.now();
    let lastError = 'no upstream available';
    for (let attempt = 0; ; attempt++) {
      const available = this.upstreams.filter((u) => u.available(this.passive.maxFails));
      const upstream = this.select(available, this.upstreams, cx.info.remoteAddress);
      if (upstream) {
        let peers: Peer[] = [];
        let conns: Duplex[] | undefined;
        let reads: RecycledReads | undefined;
        try {
          peers = upstream.peersFor(cx);
          reads = peers.length === 1 && plainTcp(peers[0]!, upstream, mode) ? new RecycledReads() : undefined;
          const settled = await Promise.allSettled(peers.map((p) => this.connect(p, upstream, cx, mode, reads)));
          const failed = settled.find((r) => r.status === 'rejected');
          if (failed) {
            for (const r of settled) if (r.status === 'fulfilled') r.value.destroy();
            throw failed.reason;
          }
          conns = settled.map((r) => (r as PromiseFulfilledResult<Duplex>).value);
        } catch (err) {
          lastError = (err as Error).message;
          cx.log.warn(
            { upstream: upstream.describe(), err: lastError, attempt },
            'layer4 proxy: upstream connection failed',
          );
        }
        if (conns) return this.serve(cx, upstream, peers, conns, mode, reads);
      }
      if (cx.stream.destroyed) return; // the client left while we were dialling
      if (performance.now() - start + this.tryIntervalMs >= this.tryDurationMs || attempt > 1000) break;
      await new Promise((r) => setTimeout(r, this.tryIntervalMs));
    }
    cx.log.error({ err: lastError, remote: cx.info.remoteAddress }, 'layer4 proxy: no upstream could be reached');
    if (mode === 'plain') {
      await endWith(
        cx,
        errorResponse(SQLSTATE.connectionFailure, 'the database server is not reachable through the proxy'),
      );
    } else {
      cx.release().destroy();
    }
  }

  /** Dials a peer and gets the upstream stream ready for the client's bytes. */
  private async connect(
    peer: Peer,
    upstream: Upstream,
    cx: Connection,
    mode: PostgresMode,
    reads?: RecycledReads,
  ): Promise<Duplex> {
    let sock;
    try {
      sock = await upstream.dial(peer, cx, reads);
    } catch (err) {
      recordFailure(peer, this.passive, this.failTimers);
      throw err;
    }
    try {
      if (this.proxyProtocol) {
        sock.write(
          buildProxyHeader(this.proxyProtocol, {
            sourceAddress: cx.info.remoteAddress,
            sourcePort: cx.info.remotePort,
            destAddress: cx.info.localAddress,
            destPort: cx.info.localPort,
          }),
        );
      }
      if (mode === 'starttls-passthrough') {
        // The client got its 'S' from us; the upstream must agree before the client's TLS reaches it.
        await postgresSslRequest(sock, 10_000);
        return sock;
      }
      const t = upstream.tls;
      if (!t || t.exceptPorts.has(peer.address.port)) return sock;
      if (t.postgres) await postgresSslRequest(sock, t.handshakeTimeoutMs);
      return await upstreamTls(sock, peer, t, cx, t.postgres ? undefined : cx.state.tls?.alpn);
    } catch (err) {
      sock.destroy();
      throw err;
    }
  }

  private async serve(
    cx: Connection,
    upstream: Upstream,
    peers: Peer[],
    conns: Duplex[],
    mode: PostgresMode,
    reads: RecycledReads | undefined,
  ): Promise<void> {
    peers.forEach((p, i) => {
      p.conns++;
      let set = this.live.get(p);
      if (!set) this.live.set(p, (set = new Set()));
      const s = conns[i]!;
      set.add(s);
      s.once('close', () => {
        p.conns--;
        set.delete(s);
        if (set.size === 0) this.live.delete(p);
      });
    });
    const forget: Array<() => void> = [];
    let tap: ((chunk: Buffer) => void) | undefined;
    if (conns.length === 1 && (mode === 'plain' || mode === 'starttls-passthrough' || offersPostgresAlpn(cx))) {
      const peer = peers[0]!;
      const target: CancelTarget = {
        describe: peer.dial,
        // a fresh connection in the upstream's own terms (TLS or not), carrying only the CancelRequest
        connect: () => this.connect(peer, upstream, cx, 'plain'),
      };
      if (mode === 'plain') {
        const onKey = (pid: number, secret: Buffer): void => {
          forget.push(this.runtime.cancelKeys.remember(pid, secret, target));
        };
        if (reads) {
          const scan = backendKeyScanner(onKey);
          tap = (chunk) => {
            if (scan(chunk)) tap = undefined;
          };
        } else {
          tapBackendKey(conns[0]!, onKey);
        }
      } else {
        forget.push(this.runtime.cancelKeys.holdOpaque(target));
      }
    }
    cx.log.debug({ upstream: upstream.describe() }, 'layer4 proxy: connected');
    try {
      await splice(cx.release(), conns, reads && { reads, tap: (chunk) => tap?.(chunk) });
    } finally {
      forget.forEach((f) => f());
    }
  }
}

/**
 * The client's first PostgreSQL message (the client always speaks first), read if no matcher did — e.g.
 * after TLS termination — so a CancelRequest sent inside TLS is recognised too.
 */
async function firstMessage(cx: Connection): Promise<FirstMessage | null> {
  const deadline = performance.now() + FIRST_MESSAGE_TIMEOUT_MS;
  let first = parseFirstMessage(cx.buffer);
  while (first === 'more') {
    await cx.prefetch(deadline);
    first = parseFirstMessage(cx.buffer);
  }
  return first;
}

/** A ClientHello offering ALPN "postgresql" passed through untouched: PG17 direct TLS to the backend. */
function offersPostgresAlpn(cx: Connection): boolean {
  if (cx.state.tls) return false;
  const hello = parseClientHello(cx.buffer);
  return hello !== null && hello !== 'more' && hello.alpn.includes('postgresql');
}

/** Whether the bytes from this peer go to the client as they are read (no TLS or handshake to the upstream). */
function plainTcp(peer: Peer, upstream: Upstream, mode: PostgresMode): boolean {
  if (mode === 'starttls-passthrough' || peer.address.network.startsWith('udp') || peer.address.network === 'unix')
    return false;
  const t = upstream.tls;
  return !t || t.exceptPorts.has(peer.address.port);
}

function postgresMode(cx: Connection): PostgresMode {
  const pg = cx.state.postgres;
  if (pg?.plaintext) return 'plain';
  if (pg?.sslAnswered) return 'starttls-passthrough';
  const first = parseFirstMessage(cx.buffer);
  if (first && first !== 'more' && (first.kind === 'startup' || first.kind === 'cancel')) return 'plain';
  return undefined;
}

export function createProxyHandler(json: Record<string, unknown>, path: string, compiler: Compiler): Handler {
  const h = json as unknown as Layer4ProxyHandler;
  if (!Array.isArray(h.upstreams) || h.upstreams.length === 0) {
    throw new Layer4ConfigError(`${path}.upstreams`, 'at least one upstream is required');
  }
  const upstreams = h.upstreams.map((u, i) => compileUpstream(u, `${path}.upstreams[${i}]`));
  if (h.proxy_protocol && upstreams.some((u) => u.peers.some((p) => p.address.network.startsWith('udp')))) {
    throw new Layer4ConfigError(
      `${path}.proxy_protocol`,
      'PROXY protocol headers to udp upstreams are not implemented',
    );
  }
  if (h.proxy_protocol !== undefined && h.proxy_protocol !== 'v1' && h.proxy_protocol !== 'v2') {
    throw new Layer4ConfigError(`${path}.proxy_protocol`, `must be "v1" or "v2"`);
  }
  const lb = h.load_balancing;
  const tryDurationMs = durationMs(lb?.try_duration, `${path}.load_balancing.try_duration`, 0);
  const tryIntervalMs = durationMs(
    lb?.try_interval,
    `${path}.load_balancing.try_interval`,
    tryDurationMs > 0 ? 250 : 0,
  );
  const passive = compilePassive(h.health_checks?.passive, `${path}.health_checks.passive`);
  const unhealthyCount = h.health_checks?.passive?.unhealthy_connection_count;
  const finalUpstreams = unhealthyCount
    ? upstreams.map((u) =>
        u.maxConnections > 0
          ? u
          : new Upstream(u.peers, u.dynamic, u.weight, unhealthyCount, u.tls, u.localAddresses, u.resolverPreference),
      )
    : upstreams;
  const handler = new ProxyHandlerImpl(
    finalUpstreams,
    compileSelection(lb?.selection, `${path}.load_balancing.selection`),
    passive,
    tryDurationMs,
    tryIntervalMs,
    h.proxy_protocol,
    compiler.runtime,
  );
  const active = h.health_checks?.active;
  if (active) {
    const closeIfUnhealthy = active.close_if_unhealthy === true;
    compiler.runtime.closers.push(
      startActiveChecks(active, `${path}.health_checks.active`, finalUpstreams, compiler.runtime.logger, (peer) => {
        if (closeIfUnhealthy) handler.closePeer(peer);
      }),
    );
  }
  return handler;
}
