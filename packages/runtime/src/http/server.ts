/** @module http/server: one server of the http app: listeners, the listener-wrapper chain, HTTP/1.1 and HTTP/2. */
import http from 'node:http';
import http2 from 'node:http2';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { durationOr, type HttpServer as HttpServerConfig } from '@proxy/contract';
import type { ConnectionInfo, ListenerWrapper } from '../listener-wrapper.js';
import { expandPorts, parseNetworkAddress, type NetworkAddress } from '../listen/address.js';
import { claimListener, type ListenerClaim } from '../listen/pool.js';
import { jsDuplex } from '../listen/js-duplex.js';
import type { LoadContext } from '../modules.js';
import type { TlsAppImpl } from '../tls/app.js';
import { NotTlsError } from '../tls/client-hello.js';
import type { ConnectionPolicyImpl } from '../tls/policies.js';
import { ConfigError, joinPath } from '../util/errors.js';
import { AccessLogger } from './access-log.js';
import { asHandlerError, HandlerError } from './errors.js';
import { compileRanges } from './matchers/ip.js';
import type { BlockList } from 'node:net';
import { setClientIp } from './client-ip.js';
import { startsWithH2Preface } from '../listen/h2-preface.js';
import { emptyNext, type Handler } from './handler.js';
import { instrument, type HttpMetricSet } from '../metrics/http.js';
import { HttpRequest, type NodeRequest } from './request.js';
import { NodeResponseWriter, type ResponseWriter } from './response.js';
import { RawResponseWriter } from './raw-response.js';
import { H1ResponseWriter } from './h1/response-writer.js';
import { errorEmptyNext, RouteList } from './routes.js';
import { NAMED_ROUTES_KEY } from './handlers/invoke.js';
import { H1Engine } from './h1/engine.js';
import { HandshakeRefusedError, refuseHandshake } from '../tls/alert.js';
import {
  checkRequestHead,
  headerReadLimit,
  isRefused,
  noteRequest,
  onClientError,
  refuseOnSocket,
  refuseResponse,
} from './h1/front-door.js';

/** Where ACME http-01 challenges are answered, before any route. */
const ACME_PREFIX = '/.well-known/acme-challenge/';

interface ConnState {
  info: ConnectionInfo;
  tls: TLSSocket | undefined;
  claim: ListenerClaim | undefined;
}

/**
 * HTTP/1.x runs on our own engine (Go's parsing and framing rules, any method token); PROXY_H1=node goes
 * back to node:http's parser for comparison.
 */
const OWN_H1_ENGINE = process.env['PROXY_H1'] !== 'node';

/** The server that currently owns each open connection. */
const connOwner = new WeakMap<Duplex, HttpServerRuntime>();

/** A step of the accept chain: a registered wrapper, or the place where TLS terminates. */
type ChainStep = { kind: 'wrapper'; wrapper: ListenerWrapper } | { kind: 'tls' };

/** A running (or ready to run) HTTP server. */
export class HttpServerRuntime {
  private routes!: RouteList;
  private readonly named = new Map<string, RouteList>();
  private errors: RouteList | undefined;
  private addresses: NetworkAddress[] = [];
  private claims: ListenerClaim[] = [];
  private chain: ChainStep[] = [];
  private policies: ConnectionPolicyImpl[] = [];
  private h1!: http.Server;
  private h1Engine: H1Engine | undefined;
  private h2!: http2.Http2Server;
  private readonly conns = new WeakMap<object, ConnState>();
  /** Open connections and the listener claim each came through. */
  private readonly open = new Map<Duplex, ListenerClaim | undefined>();
  private readonly sessions = new Map<http2.Http2Session, ConnState | undefined>();
  private accessLog: AccessLogger | undefined;
  private trusted: BlockList | undefined;
  private clientIpHeaders: string[] = [];
  private log!: Logger;
  private stopping = false;
  private pendingSession: ConnState | undefined;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private h2c = false;
  private handshakeTimeoutMs = 10_000;
  private strictSniHost = false;
  /** Whether TLS is terminated on this server. */
  tlsEnabled = false;
  /** Bound addresses after start. */
  readonly bound: net.AddressInfo[] = [];

  constructor(
    readonly name: string,
    readonly cfg: HttpServerConfig,
    readonly path: string,
    private readonly tlsApp: TlsAppImpl,
    /** The http app's metrics, when they are on: the top-level routes' handlers are instrumented. */
    private readonly metrics?: HttpMetricSet,
  ) {}

  async provision(ctx: LoadContext): Promise<void> {
    const cfg = this.cfg;
    this.log = ctx.logger.child({ logger: 'http' });
    this.addresses = (cfg.listen ?? []).map((a, i) =>
      parseNetworkAddress(a, joinPath(joinPath(this.path, 'listen'), i)),
    );
    // invoke handlers check names while compiling, so the names are known before any route compiles.
    ctx.apps.set(NAMED_ROUTES_KEY, new Set(Object.keys(cfg.named_routes ?? {})));
    for (const [name, route] of Object.entries(cfg.named_routes ?? {})) {
      this.named.set(name, await RouteList.compileOne(route, ctx, joinPath(joinPath(this.path, 'named_routes'), name)));
    }
    // Only the server's own routes are instrumented, as in Caddy (subroutes, error and named routes are not).
    const m = this.metrics;
    const wrap = m ? (h: Handler, handlerName: string) => instrument(h, handlerName, this.name, m) : undefined;
    this.routes = await RouteList.compile(cfg.routes, ctx, joinPath(this.path, 'routes'), wrap);
    if (cfg.errors?.routes)
      this.errors = await RouteList.compile(cfg.errors.routes, ctx, joinPath(joinPath(this.path, 'errors'), 'routes'));
    ctx.apps.delete(NAMED_ROUTES_KEY);
    this.tlsEnabled = (cfg.tls_connection_policies?.length ?? 0) > 0;
    // Caddy turns strict SNI-Host matching on by itself when client authentication is configured: the
    // certificate was checked for the SNI's site, so a request for another Host must not ride on it.
    const ca = (p: NonNullable<HttpServerConfig['tls_connection_policies']>[number]): boolean => {
      const c = p.client_authentication;
      return (
        c !== undefined && Object.values(c).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== ''))
      );
    };
    this.strictSniHost = cfg.strict_sni_host ?? (cfg.tls_connection_policies ?? []).some(ca);
    this.policies = this.tlsApp.compilePolicies(
      cfg.tls_connection_policies,
      joinPath(this.path, 'tls_connection_policies'),
    );
    const wrappers = cfg.listener_wrappers ?? [];
    if (!wrappers.some((w) => w.wrapper === 'tls')) this.chain.push({ kind: 'tls' });
    for (const [i, wc] of wrappers.entries()) {
      const p = joinPath(joinPath(this.path, 'listener_wrappers'), i);
      if (wc.wrapper === 'tls') {
        this.chain.push({ kind: 'tls' });
        continue;
      }
      const mod = ctx.modules.listener(wc.wrapper);
      if (!mod?.create) throw ConfigError.at(joinPath(p, 'wrapper'), `unknown listener wrapper "${wc.wrapper}"`);
      const wrapper = await mod.create(
        wc,
        {
          logger: ctx.logger.child({ logger: `caddy.listeners.${wc.wrapper}` }),
          tls: this.tlsApp,
          path: p,
          onCleanup: (fn) => ctx.onCleanup(fn),
        },
        p,
      );
      if (wrapper.close) ctx.onCleanup(() => wrapper.close!());
      this.chain.push({ kind: 'wrapper', wrapper });
    }
    this.h2c = (cfg.protocols ?? []).includes('h2c');
    if (cfg.logs) this.accessLog = new AccessLogger(ctx.logger, cfg.logs);
    if (cfg.trusted_proxies) {
      if (cfg.trusted_proxies.source !== 'static')
        throw ConfigError.at(
          joinPath(joinPath(this.path, 'trusted_proxies'), 'source'),
          `IP source "${cfg.trusted_proxies.source}" is not supported yet (static is)`,
        );
      this.trusted = compileRanges(
        cfg.trusted_proxies.ranges ?? [],
        joinPath(joinPath(this.path, 'trusted_proxies'), 'ranges'),
      );
    }
    this.clientIpHeaders = cfg.client_ip_headers?.length ? cfg.client_ip_headers : ['X-Forwarded-For'];
    const failed = (e: unknown): void => this.log.error({ error: String(e) }, 'request handling failed');
    const serveRequest = (
      req: NodeRequest,
      res: http.ServerResponse | http2.Http2ServerResponse | H1ResponseWriter,
    ): void => {
      try {
        this.handle(req, res)?.catch(failed);
      } catch (e) {
        failed(e);
      }
    };
    const handler = (req: NodeRequest, res: http.ServerResponse | http2.Http2ServerResponse): void => {
      if (req.httpVersionMajor !== 2 && !this.admitH1(req as http.IncomingMessage, res as http.ServerResponse)) return;
      serveRequest(req, res);
    };
    // node:http wants whole, non-negative milliseconds and headersTimeout <= requestTimeout; Go takes any duration,
    // a non-positive one meaning none, and has no such order (`read_timeout 1s` alone is valid in Caddy).
    const requestTimeout = nodeTimeoutMs(cfg.read_timeout, 0);
    const headersTimeout = nodeTimeoutMs(cfg.read_header_timeout, 60_000);
    this.h1 = http.createServer(
      {
        keepAliveTimeout: nodeTimeoutMs(cfg.idle_timeout, 5 * 60_000),
        headersTimeout: requestTimeout > 0 ? Math.min(headersTimeout, requestTimeout) : headersTimeout,
        requestTimeout,
        // How often node checks those timeouts (default 30s): a slowloris would otherwise outlive them.
        connectionsCheckingInterval: 1000,
        maxHeaderSize: headerReadLimit(cfg.max_header_bytes),
        // Go's checks (and its exact answers) run in admitH1 instead.
        requireHostHeader: false,
      },
      handler,
    );
    // Like Go's tlsHandshakeTimeout: the shortest of the read/header/write timeouts bounds the handshake.
    const limits = [cfg.read_timeout, cfg.read_header_timeout, cfg.write_timeout]
      .map((d) => durationOr(d, 0))
      .filter((ms) => ms > 0);
    this.handshakeTimeoutMs = limits.length ? Math.min(...limits) : 10_000;
    const serveUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
      const failedUpgrade = (e: unknown): void => {
        this.log.error({ error: String(e) }, 'upgrade handling failed');
        socket.destroy();
      };
      try {
        this.handle(req, undefined, { socket, head })?.catch(failedUpgrade);
      } catch (e) {
        failedUpgrade(e);
      }
    };
    this.h1.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.admitH1(req, undefined, socket)) serveUpgrade(req, socket, head);
    });
    if (OWN_H1_ENGINE) {
      this.h1Engine = new H1Engine({
        maxHeadBytes: headerReadLimit(cfg.max_header_bytes),
        readHeaderTimeoutMs: durationOr(cfg.read_header_timeout, 60_000),
        readTimeoutMs: durationOr(cfg.read_timeout, 0),
        idleTimeoutMs: durationOr(cfg.idle_timeout, 5 * 60_000),
        writeTimeoutMs: durationOr(cfg.write_timeout, 0),
        onRequest: serveRequest,
        onUpgrade: serveUpgrade,
        log: this.log,
      });
    }
    this.h1.on('clientError', onClientError(this.log));
    this.h2 = http2.createServer({}, handler);
    this.h2.on('session', (session: http2.ServerHttp2Session) => {
      if (this.pendingSession) this.conns.set(session, this.pendingSession);
      this.sessions.set(session, this.pendingSession);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => {});
    });
  }

  /**
   * Go's checks on an HTTP/1.x request head before any handler: refused requests get Go's answer and
   * the connection closes; requests node parsed behind a refused one are dropped.
   */
  private admitH1(req: http.IncomingMessage, res: http.ServerResponse | undefined, upgradeSocket?: Duplex): boolean {
    const conn = upgradeSocket ?? req.socket;
    if (isRefused(conn)) {
      if (upgradeSocket) upgradeSocket.destroy();
      return false;
    }
    noteRequest(conn, req);
    const refusal = checkRequestHead(req);
    if (!refusal) return true;
    this.log.debug(
      { request: { method: req.method, uri: req.url }, status: refusal.status, error: refusal.body },
      'request refused',
    );
    if (res) refuseResponse(res, refusal);
    else refuseOnSocket(conn, refusal);
    return false;
  }

  /** Server names from host matchers of the top-level routes. */
  hostNames(): string[] {
    const names = new Set<string>();
    for (const rt of this.cfg.routes ?? [])
      for (const set of rt.match ?? [])
        for (const h of (set.host as string[] | undefined) ?? []) names.add(h.toLowerCase());
    return [...names];
  }

  /** Whether every listen address is on the given port. */
  listensOnlyOn(port: number): boolean {
    return this.addresses.length > 0 && this.addresses.every((a) => a.startPort === port && a.endPort === port);
  }

  /** Whether some listen address includes the port. */
  listensOn(port: number): boolean {
    return this.addresses.some((a) => a.startPort <= port && port <= a.endPort);
  }

  /** Listen addresses as parsed. */
  get listenAddresses(): readonly NetworkAddress[] {
    return this.addresses;
  }

  async start(): Promise<void> {
    for (const [i, a] of this.addresses.entries()) {
      for (const one of expandPorts(a)) {
        try {
          const holder: { claim?: ListenerClaim } = {};
          const claim = await claimListener(
            one.host,
            one.port,
            one.network,
            (sock) => this.accept(sock, a.original, holder.claim),
            this,
          );
          holder.claim = claim;
          this.claims.push(claim);
          this.bound.push(claim.address);
        } catch (e) {
          throw ConfigError.at(
            joinPath(joinPath(this.path, 'listen'), i),
            `cannot listen on ${a.original}: ${(e as Error).message}`,
          );
        }
      }
    }
    // The HTTP/1 server never listens itself (connections are handed to it), so start what node starts on
    // 'listening': the connection list that enforces headersTimeout/requestTimeout.
    this.h1.emit('listening');
    this.log.info(
      { server_name: this.name, https: this.tlsEnabled, addresses: this.bound.map((b) => `${b.address}:${b.port}`) },
      'server running',
    );
  }

  private accept(sock: net.Socket, listenAddress: string, claim: ListenerClaim | undefined): void {
    const info: ConnectionInfo = {
      remoteAddress: (sock.remoteAddress ?? '').replace(/^::ffff:/, ''),
      remotePort: sock.remotePort ?? 0,
      localAddress: (sock.localAddress ?? '').replace(/^::ffff:/, ''),
      localPort: sock.localPort ?? 0,
      listenAddress,
    };
    sock.on('error', () => {});
    this.track(sock, claim);
    void this.runChain(sock, info, claim).catch((e: unknown) => {
      this.log.debug({ remote_ip: info.remoteAddress, error: String(e) }, 'connection rejected');
      if (e instanceof NotTlsError && /^[A-Z]{3,7} /.test(e.head.toString('latin1'))) {
        // What Go's TLS server answers to plaintext HTTP, so clients see why.
        // Then close, as Go does: the socket is paused with the request unread, so it would never see EOF.
        sock.end('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n', () =>
          sock.destroy(),
        );
        return;
      }
      if (e instanceof HandshakeRefusedError) {
        refuseHandshake(sock, e.refusal);
        return;
      }
      sock.destroy();
    });
  }

  /** Remembers an open connection (until it closes) so that stop() can close or hand it over. */
  private track(conn: Duplex, claim: ListenerClaim | undefined): void {
    // One close listener per connection, whichever server owns it by then (it may be handed over on reloads).
    if (!connOwner.has(conn)) conn.once('close', () => connOwner.get(conn)?.open.delete(conn));
    connOwner.set(conn, this);
    this.open.set(conn, claim);
  }

  private async runChain(sock: Duplex, info: ConnectionInfo, claim: ListenerClaim | undefined): Promise<void> {
    let conn: Duplex | null = sock;
    let tls: TLSSocket | undefined;
    for (const step of this.chain) {
      if (step.kind === 'tls') {
        if (!this.tlsEnabled) continue;
        const protocols = this.cfg.protocols ?? ['h1', 'h2', 'h3'];
        const alpn = protocols.includes('h2') ? ['h2', 'http/1.1'] : ['http/1.1'];
        tls = await this.tlsApp.terminate(conn, this.policies, {
          defaultAlpn: alpn,
          remoteAddress: info.remoteAddress,
          localAddress: info.localAddress,
          timeoutMs: this.handshakeTimeoutMs,
        });
        tls.on('error', () => {});
        conn = tls;
      } else {
        conn = await step.wrapper.wrap(conn, info);
        if (conn === null) return;
      }
    }
    if (this.stopping) {
      conn.destroy();
      return;
    }
    const state: ConnState = { info, tls, claim };
    if (conn !== sock) this.track(conn, claim);
    if (!tls && this.h2c && (await startsWithH2Preface(conn))) {
      const h2conn = jsDuplex(conn);
      this.pendingSession = state;
      try {
        this.h2.emit('connection', h2conn);
      } finally {
        this.pendingSession = undefined;
      }
      conn.resume();
      return;
    }
    if (tls && tls.alpnProtocol === 'h2') {
      // A wrapper after TLS may have read and unshifted bytes that http2 (reading the native handle) would miss.
      const h2conn = conn.readableLength > 0 ? jsDuplex(conn) : conn;
      this.pendingSession = state;
      try {
        this.h2.emit('connection', h2conn);
      } finally {
        this.pendingSession = undefined;
      }
      if (h2conn !== conn) conn.resume();
    } else {
      this.conns.set(conn, state);
      if (this.h1Engine) this.h1Engine.connection(conn);
      else this.h1.emit('connection', conn);
    }
    // Wrappers that peeked leave the stream paused; the HTTP server's listeners are attached now.
    if (conn.isPaused()) conn.resume();
  }

  private stateOf(req: NodeRequest): ConnState | undefined {
    if ('stream' in req && req.stream) return this.conns.get(req.stream.session as object);
    return this.conns.get(req.socket);
  }

  /**
   * The server that should answer on a connection of this one after a reload: the newest server on the
   * same listener, when it terminates TLS the same way. Keep-alive connections then see the new routes
   * without being closed under their clients' feet.
   */
  private successor(claim: ListenerClaim | undefined, tls: boolean): HttpServerRuntime | undefined {
    const next = claim?.current();
    if (!(next instanceof HttpServerRuntime) || next === this || next.stopping) return undefined;
    return next.tlsEnabled === tls ? next : undefined;
  }

  private handle(
    req: NodeRequest,
    res: http.ServerResponse | http2.Http2ServerResponse | H1ResponseWriter | undefined,
    upgrade?: { socket: Duplex; head: Buffer },
  ): Promise<void> | void {
    const state = this.stateOf(req) ?? {
      info: { remoteAddress: '', remotePort: 0, localAddress: '', localPort: 0, listenAddress: '' },
      tls: undefined,
      claim: undefined,
    };
    const next = this.stopping ? this.successor(state.claim, state.tls !== undefined) : undefined;
    return (next ?? this).serve(req, res, upgrade, state);
  }

  /**
   * Serves one request. A request whose handlers all answer synchronously (a static response) finishes here
   * without a promise; the first handler that waits hands the rest to serveAsync.
   */
  private serve(
    req: NodeRequest,
    res: http.ServerResponse | http2.Http2ServerResponse | H1ResponseWriter | undefined,
    upgrade: { socket: Duplex; head: Buffer } | undefined,
    state: ConnState,
  ): Promise<void> | void {
    const r = new HttpRequest(req, state.info, state.tls);
    if (this.named.size) r.namedRoutes = this.named;
    r.upgrade = upgrade;
    setClientIp(r, this.trusted, this.clientIpHeaders, (this.cfg.trusted_proxies_strict ?? 0) > 0);
    const w =
      res instanceof H1ResponseWriter
        ? res
        : res
          ? new NodeResponseWriter(res, req.httpVersionMajor === 2)
          : new RawResponseWriter(upgrade!.socket);
    this.inFlight++;
    if (this.stopping && req.httpVersionMajor !== 2) w.header.set('Connection', 'close');
    let pending: Promise<void> | void;
    try {
      pending = this.route(r, w, state);
    } catch (e) {
      pending = Promise.reject(e);
    }
    if (pending) return this.serveAsync(req, r, w, pending);
    try {
      const ended = w.end();
      if (ended) return this.endAsync(r, w, ended);
    } catch (e) {
      this.log.error({ error: String(e) }, 'response failed');
      w.abort();
    }
    this.served(r, w);
  }

  /** The server's own checks, then its routes. */
  private route(r: HttpRequest, w: ResponseWriter, state: ConnState): Promise<void> | void {
    const sni = state.tls ? (state.tls as { servername?: string | false }).servername : undefined;
    if (this.strictSniHost && sni && sni.toLowerCase() !== r.hostLower)
      throw new HandlerError(421, 'strict host matching: TLS ServerName and HTTP Host do not match');
    if (!state.tls && r.path.startsWith(ACME_PREFIX)) return this.acmeOrRoutes(r, w);
    return this.routes.serve(r, w, emptyNext);
  }

  /** An ACME http-01 challenge this server knows is answered before any route. */
  private async acmeOrRoutes(r: HttpRequest, w: ResponseWriter): Promise<void> {
    const keyAuth = await this.tlsApp.challengeResponse(r.path.slice(ACME_PREFIX.length), r.hostLower);
    if (keyAuth !== undefined) {
      w.header.set('Content-Type', 'text/plain');
      w.writeHead(200);
      await w.end(keyAuth);
      return;
    }
    await this.routes.serve(r, w, emptyNext);
  }

  /** The rest of a request whose routes wait for something: their error (if any), then the end of the response. */
  private async serveAsync(req: NodeRequest, r: HttpRequest, w: ResponseWriter, pending: Promise<void>): Promise<void> {
    try {
      try {
        await pending;
      } catch (e) {
        if (!(await this.failed(req, r, w, e))) return;
      }
      await w.end();
    } catch (e) {
      this.log.error({ error: String(e) }, 'response failed');
      w.abort();
    } finally {
      this.served(r, w);
    }
  }

  /** Waits for a response to end that could not end at once. */
  private async endAsync(r: HttpRequest, w: ResponseWriter, ended: Promise<void>): Promise<void> {
    try {
      await ended;
    } catch (e) {
      this.log.error({ error: String(e) }, 'response failed');
      w.abort();
    } finally {
      this.served(r, w);
    }
  }

  /**
   * A handler failed: the error routes (or the error's status) answer, unless a response was already under
   * way, which is aborted. Resolves to whether the response is still to be ended.
   */
  private async failed(req: NodeRequest, r: HttpRequest, w: ResponseWriter, e: unknown): Promise<boolean> {
    const err = asHandlerError(e);
    r.error = err;
    // Error routes see the request as it came in: rewrites are undone (header changes are not).
    r.method = req.method ?? 'GET';
    r.uri = r.originalUri;
    if (err.status >= 500)
      this.log.error(
        {
          request: { method: r.method, uri: r.originalUri, host: r.hostport },
          error: err.message,
          status: err.status,
        },
        'handled request error',
      );
    if (w.wroteHeader) {
      w.abort();
      return false;
    }
    if (this.errors) {
      try {
        await this.errors.serve(r, w, errorEmptyNext);
      } catch (e2) {
        // A failing error route answers with the first error's status, as Caddy does.
        this.log.error({ error: asHandlerError(e2).message, first_error: err.message }, 'error handling handler error');
        if (!w.wroteHeader) w.writeHead(err.status);
        else {
          w.abort();
          return false;
        }
      }
    } else {
      w.writeHead(err.status);
    }
    return true;
  }

  /** A request is over (answered, aborted or failed): it is logged and no longer in flight. */
  private served(r: HttpRequest, w: ResponseWriter): void {
    this.accessLog?.log(r, w, r.bodyBytes);
    this.inFlight--;
    if (this.inFlight === 0) for (const fn of this.idleWaiters.splice(0)) fn();
  }

  /**
   * Stops accepting and lets in-flight requests finish within the grace period. Connections whose listener
   * lives on in a newer server are handed to it; the others are closed.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    await Promise.all(this.claims.map((c) => c.release()));
    this.claims = [];
    for (const [session, state] of this.sessions) {
      const next = this.successor(state?.claim, state?.tls !== undefined);
      if (next) {
        next.sessions.set(session, state);
        this.sessions.delete(session);
      } else session.close();
    }
    // Connections of this server are TLS exactly when the server terminates TLS.
    const handOff = (c: Duplex, claim: ListenerClaim | undefined): boolean => {
      const next = this.successor(claim, this.tlsEnabled);
      if (!next) return false;
      this.open.delete(c);
      next.track(c, claim);
      return true;
    };
    if (![...this.open.values()].some((claim) => this.successor(claim, this.tlsEnabled))) {
      this.h1.closeIdleConnections();
      this.h1Engine?.closeIdleConnections();
    }
    if (this.inFlight > 0 && graceMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, graceMs);
        t.unref();
        this.idleWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    for (const [c, claim] of [...this.open]) {
      if (handOff(c, claim)) continue;
      c.end();
      setTimeout(() => c.destroy(), 1000).unref();
    }
    this.open.clear();
    stopTimeoutChecks(this.h1);
  }
}

/**
 * Stops node's periodic timeout checks of an HTTP server started with emit('listening'). Not close(): that
 * also closes idle keep-alive connections, which were just handed to the next config.
 */
function stopTimeoutChecks(server: http.Server): void {
  const key = Object.getOwnPropertySymbols(server).find(
    (k) => k.description === 'http.server.connectionsCheckingInterval',
  );
  if (key) clearInterval((server as unknown as Record<symbol, NodeJS.Timeout>)[key]);
}

/** A caddy.Duration as node:http's timeout options take it: whole milliseconds, 0 (none) when not positive. */
function nodeTimeoutMs(v: unknown, dflt: number): number {
  return Math.max(0, Math.ceil(durationOr(v, dflt)));
}
