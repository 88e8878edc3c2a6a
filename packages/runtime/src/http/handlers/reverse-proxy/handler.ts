/** @module http/handlers/reverse-proxy/handler: `http.handlers.reverse_proxy`. */
import { EVENT_BUS, type EventBus } from '../../../events/bus.js';
import { STATUS_CODES, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type http2 from 'node:http2';
import type { BlockList } from 'node:net';
import type { Duplex, Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { durationOr, reverseProxySchema, type ReverseProxyHandler, type RewriteHandler } from '@proxy/contract';
import type { LoadContext, RuntimeModule } from '../../../modules.js';
import { ConfigError, joinPath } from '../../../util/errors.js';
import { compileTemplate, type Template } from '../../../util/template.js';
import { HandlerError } from '../../errors.js';
import type { Handler, Next } from '../../handler.js';
import { Header } from '../../header.js';
import { CompiledHeaderOps, CompiledRespHeaderOps } from '../../header-ops.js';
import { canonicalKey } from '../../canonical-key.js';
import { inRanges, compileRanges } from '../../matchers/ip.js';
import { requestResolver } from '../../replacer.js';
import type { HttpRequest } from '../../request.js';
import type { ResponseWriter } from '../../response.js';
import { anyMatch, compileMatcherSets, RouteList, type MatcherSets } from '../../routes.js';
import { CompiledRewrite } from '../rewrite.js';
import { compileStatus } from '../static-response.js';
import { setProxyResponse } from './copy-response.js';
import { ActiveHealthChecker } from './health.js';
import { compileSelection, type Selector } from './selection.js';
import { HttpTransportImpl } from './transport.js';
import { FastcgiTransport } from './fastcgi.js';
import { stripHopByHop } from './hop-by-hop.js';
import { switchProtocols, type Upgraded } from './upgrade.js';
import { AUpstreams } from './dynamic-a.js';
import { UpstreamHost } from './upstream.js';
import { reportUpstreamHealth } from '../../../metrics/reverse-proxy.js';
import { configRegistry } from '../../../metrics/hub.js';
import { bufferBody } from './buffer-body.js';
import { goUserAgent, goWantsGzip, gunzipIfAsked } from './go-client.js';
import { setDuration, setUpstreamPlaceholders } from './placeholders.js';

/** An upstream response, from HTTP/1.1 or HTTP/2. */
interface UpstreamResponse {
  statusCode: number;
  statusMessage: string;
  httpVersion?: string;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** A dial or connection error before a response arrived: safe to retry with another upstream. */
class DialError extends Error {}

interface ResponseHandler {
  statusIn: number[] | undefined;
  headers: Array<[string, string[] | null]> | undefined;
  status: ((res: (k: string) => string | undefined) => number) | undefined;
  routes: RouteList | undefined;
}

type HandleResponseConfig = NonNullable<ReverseProxyHandler['handle_response']>[number];

class ReverseProxy implements Handler {
  private hosts: UpstreamHost[] = [];
  private dynamicDials: Template[] = [];
  private readonly dynamicHosts = new Map<string, UpstreamHost>();
  private select!: Selector;
  private transport!: HttpTransportImpl;
  private fastcgi: FastcgiTransport | undefined;
  private dynamic: AUpstreams | undefined;
  private reqOps: CompiledHeaderOps | undefined;
  private respOps: CompiledRespHeaderOps | undefined;
  private rewrite: CompiledRewrite | undefined;
  private responseHandlers: ResponseHandler[] = [];
  private checker: ActiveHealthChecker | undefined;
  private retryMatch: MatcherSets = [];
  private readonly trusted: BlockList | undefined;
  private readonly maxFails: number;
  private readonly failDurationMs: number;
  private readonly unhealthyStatus: number[];
  private readonly unhealthyRequestCount: number;
  private readonly unhealthyLatencyMs: number;
  private readonly retries: number;
  private readonly tryDurationMs: number;
  private readonly tryIntervalMs: number;
  private requestBuffers = 0;

  constructor(
    private readonly c: ReverseProxyHandler,
    private readonly path: string,
  ) {
    const p = c.health_checks?.passive;
    this.failDurationMs = durationOr(p?.fail_duration, 0);
    this.maxFails = this.failDurationMs > 0 ? (p?.max_fails ?? 1) : 0;
    this.unhealthyStatus = p?.unhealthy_status ?? [];
    this.unhealthyRequestCount = p?.unhealthy_request_count ?? 0;
    this.unhealthyLatencyMs = durationOr(p?.unhealthy_latency, 0);
    const lb = c.load_balancing;
    this.retries = lb?.retries ?? 0;
    this.tryDurationMs = durationOr(lb?.try_duration, 0);
    // Caddy waits between attempts by default only when retrying for a duration.
    this.tryIntervalMs = durationOr(lb?.try_interval, this.tryDurationMs > 0 ? 250 : 0);
    if (c.trusted_proxies?.length) this.trusted = compileRanges(c.trusted_proxies, joinPath(path, 'trusted_proxies'));
    if (c.circuit_breaker)
      throw ConfigError.at(joinPath(path, 'circuit_breaker'), 'circuit breakers are not supported yet');
    if (c.dynamic_upstreams) {
      if (c.dynamic_upstreams.source !== 'a')
        throw ConfigError.at(
          joinPath(joinPath(path, 'dynamic_upstreams'), 'source'),
          `dynamic upstreams "${c.dynamic_upstreams.source}" are not supported yet (a is)`,
        );
      this.dynamic = new AUpstreams(c.dynamic_upstreams as never, joinPath(path, 'dynamic_upstreams'));
    }
    if (!this.dynamic && (!c.upstreams || c.upstreams.length === 0))
      throw ConfigError.at(joinPath(path, 'upstreams'), 'no upstreams configured');
  }

  async provision(ctx: LoadContext): Promise<void> {
    const c = this.c;
    const isFcgi = c.transport?.protocol === 'fastcgi';
    // Current Caddy (not 2.6.2) reads the first 4 KiB of fastcgi request bodies by default, so that a chunked
    // body that small reaches PHP with a CONTENT_LENGTH instead of hanging php-cgi or being ignored.
    this.requestBuffers = c.request_buffers ?? (isFcgi ? 4096 : 0);
    if (isFcgi)
      this.fastcgi = new FastcgiTransport(
        c.transport as never,
        ctx.env,
        ctx.logger.child({ logger: 'http.reverse_proxy.transport.fastcgi' }),
      );
    this.transport = new HttpTransportImpl(
      c.transport?.protocol === 'fastcgi' ? undefined : c.transport,
      joinPath(this.path, 'transport'),
    );
    const defPort = this.transport.tls ? 443 : 80;
    // The upstreams as configured, for caddy_reverse_proxy_upstreams_healthy (dials with placeholders count as up).
    const health: Array<[string, UpstreamHost | undefined]> = [];
    (c.upstreams ?? []).forEach((u, i) => {
      const raw = u.dial ?? '';
      const dial = raw.replace(/^(tcp|tcp4|tcp6)\//, '');
      if (!dial)
        throw ConfigError.at(
          joinPath(joinPath(joinPath(this.path, 'upstreams'), i), 'dial'),
          'dial address is required',
        );
      const t = compileTemplate(dial, ctx.env);
      if (t.constant) {
        const host = new UpstreamHost(
          t.render(() => undefined),
          u.max_requests ?? 0,
          defPort,
          compileTemplate(raw, ctx.env).render(() => undefined),
        );
        this.hosts.push(host);
        health.push([raw, host]);
      } else {
        this.dynamicDials.push(t);
        health.push([raw, undefined]);
      }
    });
    reportUpstreamHealth(configRegistry(ctx), () =>
      health.map(([label, h]) => [
        label,
        !h || (h.activeHealthy && !(this.maxFails > 0 && h.fails() >= this.maxFails)),
      ]),
    );
    this.select = compileSelection(
      c.load_balancing?.selection_policy,
      joinPath(joinPath(this.path, 'load_balancing'), 'selection_policy'),
    );
    this.retryMatch = await compileMatcherSets(
      c.load_balancing?.retry_match,
      ctx,
      joinPath(joinPath(this.path, 'load_balancing'), 'retry_match'),
    );
    if (c.headers?.request)
      this.reqOps = new CompiledHeaderOps(
        c.headers.request,
        joinPath(joinPath(this.path, 'headers'), 'request'),
        ctx.env,
      );
    if (c.headers?.response)
      this.respOps = new CompiledRespHeaderOps(
        c.headers.response,
        joinPath(joinPath(this.path, 'headers'), 'response'),
        ctx.env,
      );
    if (c.rewrite)
      this.rewrite = new CompiledRewrite(c.rewrite as RewriteHandler, joinPath(this.path, 'rewrite'), ctx.env);
    const hp = joinPath(this.path, 'handle_response');
    for (const [i, rh] of ((c.handle_response ?? []) as HandleResponseConfig[]).entries()) {
      const p = joinPath(hp, i);
      this.responseHandlers.push({
        statusIn: rh.match?.status_code,
        headers: rh.match?.headers ? Object.entries(rh.match.headers) : undefined,
        status:
          rh.status_code !== undefined
            ? compileStatus(rh.status_code, 200, joinPath(p, 'status_code'), ctx.env)
            : undefined,
        routes: rh.routes ? await RouteList.compile(rh.routes, ctx, joinPath(p, 'routes')) : undefined,
      });
    }
    const active = c.health_checks?.active;
    if (active && (active.uri || active.path || active.port || active.interval) && this.hosts.length) {
      this.checker = new ActiveHealthChecker(
        active,
        this.hosts,
        this.transport,
        ctx.logger.child({ logger: 'http.handlers.reverse_proxy.health_checker.active' }),
        ctx.apps.get(EVENT_BUS) as EventBus | undefined,
      );
      this.checker.start();
    }
  }

  cleanup(): void {
    this.checker?.stop();
    this.transport?.close();
  }

  /** Static upstreams plus those whose dial address has placeholders, rendered for this request. */
  private async candidates(r: HttpRequest): Promise<UpstreamHost[]> {
    const base = this.dynamic ? [...this.hosts, ...(await this.dynamic.get())] : this.hosts;
    if (this.dynamicDials.length === 0) return base;
    const res = requestResolver(r);
    const out = [...base];
    for (const t of this.dynamicDials) {
      const dial = t.render(res);
      let h = this.dynamicHosts.get(dial);
      if (!h) {
        if (this.dynamicHosts.size > 1000) this.dynamicHosts.clear();
        h = new UpstreamHost(dial, 0, this.transport.tls ? 443 : 80);
        this.dynamicHosts.set(dial, h);
      }
      out.push(h);
    }
    return out;
  }

  /**
   * The upstream request's header, method and URI, made once per request like Caddy's prepareRequest: hop-by-hop
   * fields go, X-Forwarded-* and Via are added. Header rules run later, per attempt, once an upstream is chosen.
   */
  private prepare(r: HttpRequest): { headers: Header; method: string; uri: string; dropBody: boolean } {
    const headers = r.headers.clone();
    stripHopByHop(headers);
    const upgradeTo = r.upgrade ? r.headers.get('upgrade') : undefined;
    if (upgradeTo) {
      headers.set('Connection', 'Upgrade');
      headers.set('Upgrade', upgradeTo);
    }
    if (/\btrailers\b/i.test(r.headers.values('te').join(','))) headers.set('TE', 'trailers');
    if (!headers.has('host')) headers.set('Host', r.hostport);
    // Like Caddy: an empty User-Agent keeps Go's client from adding its own unless header_up deletes the field.
    if (!headers.has('user-agent')) headers.set('User-Agent', '');
    const clientIp = r.conn.remoteAddress;
    // From a trusted proxy, keep what it said (XFF appended to); otherwise the client's claims are replaced.
    // Caddy 2.6.2 trusts the handler's own trusted_proxies; current Caddy trusts the server's: both count here.
    const trusted =
      r.vars.get('trusted_proxy') === true || (this.trusted !== undefined && inRanges(this.trusted, clientIp));
    const prevXff = r.headers.values('x-forwarded-for').join(', ');
    headers.set('X-Forwarded-For', trusted && prevXff ? `${prevXff}, ${clientIp}` : clientIp);
    const prevProto = r.headers.values('x-forwarded-proto').at(-1);
    headers.set('X-Forwarded-Proto', trusted && prevProto ? prevProto : r.scheme);
    const prevHost = r.headers.values('x-forwarded-host').at(-1);
    headers.set('X-Forwarded-Host', trusted && prevHost ? prevHost : r.hostport);
    // Current Caddy (not 2.6.2) announces itself with Via instead of passing its Server header on.
    headers.add('Via', `${r.proto.replace(/^HTTP\//, '')} Caddy`);
    let method = r.method;
    let uri = r.uri;
    let dropBody = false;
    if (this.rewrite) {
      // The rewrite applies to the upstream request only; the original stays for later handlers.
      const saved = [r.method, r.uri] as const;
      this.rewrite.apply(r, requestResolver(r));
      [method, uri] = [r.method, r.uri];
      [r.method, r.uri] = saved;
      // Like Caddy: a rewrite to GET or HEAD (forward_auth) sends no body, leaving it to the handlers after.
      const m = this.c.rewrite?.method;
      if ((m === 'GET' || m === 'HEAD') && (method !== saved[0] || uri !== saved[1])) {
        dropBody = true;
        headers.delete('Content-Length');
        headers.delete('Transfer-Encoding');
      }
    }
    return { headers, method, uri, dropBody };
  }

  async serve(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> {
    const start = Date.now();
    const t0 = process.hrtime.bigint();
    const { headers, method, uri, dropBody } = this.prepare(r);
    // HTTP/1 says whether a body follows; for HTTP/2, assume none for methods that do not carry one.
    // A zero Content-Length is no body either (Caddy drops the body then, so it may retry).
    const bodyless =
      dropBody ||
      ((r.headers.get('content-length') ?? '0').trim() === '0' &&
        !r.headers.has('transfer-encoding') &&
        (r.proto !== 'HTTP/2.0' || ['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(r.method)));
    let body: Readable = r.body;
    if (this.requestBuffers !== 0 && !bodyless && !r.upgrade) {
      const b = await bufferBody(r.body, this.requestBuffers).catch((e: unknown) => {
        throw new HandlerError(400, `reading the request body: ${(e as Error).message}`);
      });
      body = b.body;
      // Fully read: its length is known, which php-cgi needs (without CONTENT_LENGTH it reads no body).
      if (b.length !== undefined) {
        headers.delete('Transfer-Encoding');
        headers.set('Content-Length', String(b.length));
      }
    }
    try {
      let attempt = 0;
      let lastErr: unknown;
      for (;;) {
        const all = await this.candidates(r);
        const pool = all.filter((h) => h.available(this.maxFails, this.unhealthyRequestCount));
        const host = this.select(pool, r, w, all);
        let up: UpstreamResponse | Upgraded | undefined;
        if (!host) {
          lastErr ??= new HandlerError(503, 'no upstreams available');
        } else {
          setUpstreamPlaceholders(r, host, host.fails());
          // Each attempt starts from the prepared header, so a retry's rules see their own upstream.
          let h = headers;
          if (this.reqOps) {
            h = headers.clone();
            this.reqOps.apply(h, requestResolver(r, w));
          }
          const sent = process.hrtime.bigint();
          try {
            up = await this.roundTrip(host, r, method, uri, h, body, bodyless, Date.now());
            setDuration(r, 'http.reverse_proxy.upstream.latency', process.hrtime.bigint() - sent);
          } catch (e) {
            if (!(e instanceof HandlerError) && !(e instanceof DialError)) throw e;
            lastErr = e;
            host.countFail(this.failDurationMs);
          }
        }
        // After a response arrived, errors are the response's: never retried.
        if (up) {
          if ('upgraded' in up) return switchProtocols(up, r, w);
          return await this.handleResponse(up, r, w, next, t0);
        }
        attempt++;
        if (!this.tryAgain(r, attempt, start, lastErr, bodyless)) break;
        if (this.tryIntervalMs > 0) await sleep(this.tryIntervalMs);
      }
      if (lastErr instanceof HandlerError) throw lastErr;
      throw new HandlerError(502, `upstream unreachable: ${(lastErr as Error)?.message ?? 'unknown error'}`);
    } finally {
      setDuration(r, 'http.reverse_proxy.duration', process.hrtime.bigint() - t0);
    }
  }

  /**
   * Caddy's tryAgain: within retries / try_duration; an error after the request may have reached the upstream
   * is retried only for GET (or what retry_match allows). A body already streamed out cannot be sent again.
   */
  private tryAgain(r: HttpRequest, attempt: number, start: number, err: unknown, bodyless: boolean): boolean {
    if (this.retries <= 0 && this.tryDurationMs <= 0) return false;
    if (this.tryDurationMs > 0 && Date.now() - start >= this.tryDurationMs) return false;
    if (this.retries > 0 && attempt > this.retries) return false;
    const nothingSent = err instanceof HandlerError && err.status === 503;
    if (!bodyless && !nothingSent) return false;
    if (!(err instanceof DialError) && !nothingSent) {
      if (this.retryMatch.length === 0 ? r.method !== 'GET' : !anyMatch(this.retryMatch, r)) return false;
    }
    return true;
  }

  /** Sends the request; resolves with the upstream response once its header arrived (or the switched connection). */
  private roundTrip(
    host: UpstreamHost,
    r: HttpRequest,
    method: string,
    uri: string,
    h: Header,
    body: Readable,
    bodyless: boolean,
    start: number,
  ): Promise<UpstreamResponse | Upgraded> {
    if (this.fastcgi) {
      host.inFlight++;
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          host.inFlight--;
        }
      };
      return this.fastcgi
        .roundTrip(host, r, method, uri, h, bodyless ? undefined : body, (m) => new DialError(m))
        .then(
          (res) => {
            this.passiveCheck(host, res.statusCode, start);
            res.body.once('close', release);
            res.body.once('end', release);
            return res;
          },
          (e: unknown) => {
            release();
            throw e;
          },
        );
    }
    if (this.transport.h2 && !r.upgrade) return this.roundTripH2(host, r, method, uri, h, body, bodyless, start);
    const outHeaders: OutgoingHttpHeaders = {};
    // Go's server canonicalizes field names and its client sends them so; upstreams see "User-Agent", not "user-agent".
    for (const [k, v] of h.entries())
      if (k.toLowerCase() !== 'user-agent') outHeaders[canonicalKey(k)] = v.length === 1 ? v[0]! : v;
    const ua = goUserAgent(h, '1.1');
    if (ua !== undefined) outHeaders['User-Agent'] = ua;
    const gzip = goWantsGzip(this.transport.compression, h, method);
    if (gzip) outHeaders['Accept-Encoding'] = 'gzip';
    host.inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        host.inFlight--;
      }
    };
    return new Promise<UpstreamResponse | Upgraded>((resolve, reject) => {
      let req: ClientRequest;
      try {
        req = this.transport.request(host, { method, path: uri, headers: outHeaders });
      } catch (e) {
        release();
        reject(new DialError((e as Error).message));
        return;
      }
      let gotResponse = false;
      let connected = false;
      const dialTimer = setTimeout(() => {
        if (!connected) req.destroy(new DialError('dial timeout'));
      }, this.transport.dialTimeoutMs);
      let headerTimer: NodeJS.Timeout | undefined;
      req.on('socket', (sock) => {
        const onConnect = () => {
          connected = true;
          clearTimeout(dialTimer);
          if (this.transport.responseHeaderTimeoutMs > 0)
            headerTimer = setTimeout(
              () => req.destroy(new HandlerError(504, 'upstream response header timeout')),
              this.transport.responseHeaderTimeoutMs,
            );
        };
        if ((sock as { connecting?: boolean }).connecting)
          sock.once(this.transport.tls ? 'secureConnect' : 'connect', onConnect);
        else onConnect();
      });
      req.on('error', (e) => {
        clearTimeout(dialTimer);
        if (headerTimer) clearTimeout(headerTimer);
        release();
        if (gotResponse) return;
        if (e instanceof HandlerError) reject(e);
        else if (!connected || e instanceof DialError) reject(new DialError(e.message));
        else reject(new HandlerError(502, e.message));
      });
      req.on('response', (up: IncomingMessage) => {
        gotResponse = true;
        clearTimeout(dialTimer);
        if (headerTimer) clearTimeout(headerTimer);
        up.once('close', release);
        up.on('error', () => {}); // surfaced by whoever reads the body
        const status = up.statusCode ?? 502;
        this.passiveCheck(host, status, start);
        resolve({
          statusCode: status,
          statusMessage: up.statusMessage ?? '',
          httpVersion: up.httpVersion,
          headers: up.headers,
          body: gzip ? gunzipIfAsked(status, up.headers, up) : up,
        });
      });
      req.on('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
        gotResponse = true;
        clearTimeout(dialTimer);
        if (headerTimer) clearTimeout(headerTimer);
        socket.once('close', release);
        resolve({ upgraded: true, res, socket, head });
      });
      if (bodyless || r.upgrade) {
        req.end();
        return;
      }
      sendBody(body, req);
    });
  }

  private passiveCheck(host: UpstreamHost, status: number, start: number): void {
    // Caddy's StatusCodeMatches: 5 stands for any 5xx; latency is this attempt's round trip.
    const bad = this.unhealthyStatus.some((c) => c === status || (c < 100 && Math.floor(status / 100) === c));
    if (bad || (this.unhealthyLatencyMs > 0 && Date.now() - start >= this.unhealthyLatencyMs))
      host.countFail(this.failDurationMs);
  }

  /** The HTTP/2 variant of roundTrip, over a shared session per upstream. */
  private roundTripH2(
    host: UpstreamHost,
    r: HttpRequest,
    method: string,
    uri: string,
    h: Header,
    body: Readable,
    bodyless: boolean,
    start: number,
  ): Promise<UpstreamResponse> {
    const headers: http2.OutgoingHttpHeaders = {
      ':method': method,
      ':path': uri,
      ':authority': h.get('host') ?? r.hostport,
      ':scheme': this.transport.tls ? 'https' : 'http',
    };
    for (const [k, v] of h.entries())
      if (k.toLowerCase() !== 'host' && k.toLowerCase() !== 'user-agent')
        headers[k.toLowerCase()] = v.length === 1 ? v[0]! : v;
    const ua = goUserAgent(h, '2.0');
    if (ua !== undefined) headers['user-agent'] = ua;
    const gzip = goWantsGzip(this.transport.compression, h, method);
    if (gzip) headers['accept-encoding'] = 'gzip';
    host.inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        host.inFlight--;
      }
    };
    return new Promise<UpstreamResponse>((resolve, reject) => {
      let session: http2.ClientHttp2Session;
      try {
        session = this.transport.h2!.get(host);
      } catch (e) {
        release();
        reject(new DialError((e as Error).message));
        return;
      }
      let gotResponse = false;
      const connected = !session.connecting;
      const dialTimer = setTimeout(() => {
        if (session.connecting) session.destroy(new DialError('dial timeout'));
      }, this.transport.dialTimeoutMs);
      const stream = session.request(headers, { endStream: bodyless });
      stream.on('error', (e) => {
        clearTimeout(dialTimer);
        release();
        if (gotResponse) return;
        reject(
          !connected &&
            !gotResponse &&
            (session.destroyed || e instanceof DialError || (e as NodeJS.ErrnoException).code === 'ECONNREFUSED')
            ? new DialError(e.message)
            : new HandlerError(502, e.message),
        );
      });
      stream.on('close', release);
      stream.on('response', (rh) => {
        gotResponse = true;
        clearTimeout(dialTimer);
        const status = Number(rh[':status'] ?? 502);
        this.passiveCheck(host, status, start);
        const out: Record<string, string | string[] | undefined> = {};
        for (const [k, v] of Object.entries(rh)) if (!k.startsWith(':')) out[k] = v as string | string[] | undefined;
        resolve({
          statusCode: status,
          statusMessage: '',
          httpVersion: '2.0',
          headers: out,
          body: gzip ? gunzipIfAsked(status, out, stream) : stream,
        });
      });
      if (!bodyless) {
        sendBody(body, stream);
      }
    });
  }

  private async handleResponse(
    up: UpstreamResponse,
    r: HttpRequest,
    w: ResponseWriter,
    next: Next,
    t0: bigint,
  ): Promise<void> {
    let status = up.statusCode;
    // Node lower-cases received names; Go's client canonicalizes them, which is what Caddy's clients see.
    const h = new Header();
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined) h.set(canonicalKey(k), v);
    stripHopByHop(h);
    for (const rh of this.responseHandlers) {
      if (rh.statusIn?.length && !rh.statusIn.some((c) => c === status || (c < 10 && Math.floor(status / 100) === c)))
        continue;
      if (
        rh.headers &&
        !rh.headers.every(([f, vals]) => {
          const a = h.values(f);
          return vals === null ? a.length === 0 : vals.length === 0 ? a.length > 0 : a.some((x) => vals.includes(x));
        })
      )
        continue;
      if (rh.status) {
        status = rh.status(requestResolver(r, w));
        break;
      }
      // Caddy skips a response handler with neither a status nor routes.
      if (!rh.routes) continue;
      const routes = rh.routes;
      // Like Caddy, these describe the upstream's answer only to handle_response routes; header_down and the
      // plain proxied response do not see them.
      r.extra.set('http.reverse_proxy.status_code', String(status));
      // Go's Response.Status: the code and its reason phrase ("200 OK").
      r.extra.set(
        'http.reverse_proxy.status_text',
        `${up.statusCode} ${up.statusMessage || STATUS_CODES[up.statusCode] || ''}`.trimEnd(),
      );
      for (const [k, v] of h.entries()) r.extra.set(`http.reverse_proxy.header.${k.toLowerCase()}`, v.join(','));
      setProxyResponse(r, {
        status,
        headers: h,
        body: up.body,
        finalize: (cw, st) => this.finalize(up, h, st, r, cw, t0),
      });
      try {
        await routes.serve(r, w, next);
      } finally {
        setProxyResponse(r, undefined);
        if (!up.body.readableEnded) up.body.resume();
      }
      return;
    }
    await this.finalize(up, h, status, r, w, t0);
  }

  /** Caddy's finalizeResponse: header_down, the upstream's fields added to the writer's, then the body streamed. */
  private async finalize(
    up: UpstreamResponse,
    h: Header,
    status: number,
    r: HttpRequest,
    w: ResponseWriter,
    t0: bigint,
  ): Promise<void> {
    try {
      // header_down edits the upstream's fields only; they are then added to what handlers before the proxy
      // set (Caddy's copyHeader), so a site's `header Cache-Control ...` and the upstream's both reach the client.
      if (this.respOps?.applies(status, h)) this.respOps.apply(h, requestResolver(r, w));
      for (const [k, v] of h.entries()) for (const x of v) w.header.add(k, x);
      // Current Caddy (not 2.6.2) names itself in Via on proxied responses.
      w.header.add('Via', `${up.httpVersion ?? '1.1'} Caddy`);
      w.writeHead(status);
      for await (const chunk of up.body) await w.write(chunk as Buffer);
      await w.end();
      setDuration(r, 'http.reverse_proxy.upstream.duration', process.hrtime.bigint() - t0);
    } catch (e) {
      up.body.destroy();
      throw e instanceof HandlerError ? e : new HandlerError(502, String(e));
    }
  }
}

/**
 * Streams the request body upstream; a body that fails ends the upstream request with its error. The body may
 * have failed already, before anyone listened (request_body's limit trips as soon as bytes arrive, while the
 * upstream is still being dialled): piping a destroyed stream would leave the upstream waiting for ever.
 */
function sendBody(body: Readable, dest: Writable): void {
  if (body.errored) {
    dest.destroy(body.errored);
    return;
  }
  if (body.destroyed && !body.readableEnded) {
    dest.destroy(new Error('the request body ended early'));
    return;
  }
  body.on('error', (e) => dest.destroy(e));
  body.pipe(dest);
}

export const reverseProxy: RuntimeModule<Handler> = {
  id: 'http.handlers.reverse_proxy',
  kind: 'handler',
  doc: 'Proxies requests to upstreams (load balancing, health checks, retries, streaming).',
  schema: reverseProxySchema,
  create: (json, _ctx, path) => new ReverseProxy(json as ReverseProxyHandler, path),
};
