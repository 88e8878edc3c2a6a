/** @module http/handlers/reverse-proxy/health: active health checks against each upstream. */
import { type EventBus, NO_EVENTS } from '../../../events/bus.js';
import type http from 'node:http';
import type { Logger } from 'pino';
import { durationOr, type ActiveHealthChecks } from '@proxy/contract';
import type { HttpTransportImpl } from './transport.js';
import type { UpstreamHost } from './upstream.js';
import { Header } from '../../header.js';
import { goUserAgent, goWantsGzip, gunzipIfAsked } from './go-client.js';
import { compileGoRegexp } from '../../../util/go-regexp.js';

/** Probes upstreams on an interval, marking them healthy or not after `passes`/`fails` results in a row. */
export class ActiveHealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private readonly streak = new Map<UpstreamHost, number>();
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly expectBody: RegExp | undefined;

  constructor(
    private readonly c: ActiveHealthChecks,
    private readonly hosts: UpstreamHost[],
    private readonly transport: HttpTransportImpl,
    private readonly log: Logger,
    private readonly events: EventBus = NO_EVENTS,
  ) {
    this.intervalMs = durationOr(c.interval, 30_000);
    this.timeoutMs = durationOr(c.timeout, 5_000);
    this.expectBody = c.expect_body ? compileGoRegexp(c.expect_body) : undefined;
  }

  start(): void {
    const run = () =>
      void this.checkAll().catch((e: unknown) => this.log.error({ error: String(e) }, 'active health check failed'));
    run();
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async checkAll(): Promise<void> {
    // A probe that cannot even be built (say, a header value Node refuses) fails that check; it must not
    // become an unhandled rejection, which would end the process.
    await Promise.all(
      this.hosts.map((h) =>
        this.checkOne(h).catch((e: unknown) =>
          this.log.error({ host: h.dial, error: String(e) }, 'active health check'),
        ),
      ),
    );
  }

  private async checkOne(h: UpstreamHost): Promise<void> {
    const ok = await this.probe(h);
    const need = ok ? (this.c.passes ?? 1) : (this.c.fails ?? 1);
    const prev = this.streak.get(h) ?? 0;
    const streak = ok ? (prev > 0 ? prev + 1 : 1) : prev < 0 ? prev - 1 : -1;
    this.streak.set(h, streak);
    if (Math.abs(streak) >= need && h.activeHealthy !== ok) {
      h.activeHealthy = ok;
      this.log.info({ host: h.dial }, ok ? 'host is up' : 'host is down');
      // As Caddy: an event when a host newly becomes healthy or unhealthy.
      void this.events
        .emit(ok ? 'healthy' : 'unhealthy', 'http.handlers.reverse_proxy', { host: h.dial })
        .catch((e: unknown) => this.log.error({ error: String(e) }, 'health event failed'));
    }
  }

  private probe(h: UpstreamHost): Promise<boolean> {
    const uri = this.c.uri ?? this.c.path ?? '/';
    const headers: http.OutgoingHttpHeaders = { host: h.dial };
    const configured = new Header();
    for (const [k, v] of Object.entries(this.c.headers ?? {})) {
      configured.set(k, v);
      const lower = k.toLowerCase();
      // As Caddy: a configured Host is the probe's Host (req.Host), not a second field.
      if (lower === 'host') {
        if (v[0]) headers['host'] = v[0];
      } else if (lower !== 'user-agent') headers[k] = v;
    }
    // The probe is a Go client request too: its User-Agent unless configured, and gzip it asks for and decodes.
    const ua = goUserAgent(configured, '1.1');
    if (ua !== undefined) headers['User-Agent'] = ua;
    const method = this.c.method ?? 'GET';
    const gzip = goWantsGzip(this.transport.compression, configured, method);
    if (gzip) headers['Accept-Encoding'] = 'gzip';
    const target = this.c.port
      ? Object.assign(Object.create(Object.getPrototypeOf(h)) as UpstreamHost, h, { port: this.c.port })
      : h;
    return new Promise((resolve) => {
      let done = false;
      const finish = (ok: boolean) => {
        if (!done) {
          done = true;
          resolve(ok);
        }
      };
      let req: http.ClientRequest;
      try {
        req = this.transport.request(target, { method, path: uri, headers });
      } catch (e) {
        this.log.error({ host: h.dial, error: (e as Error).message }, 'active health check request');
        finish(false);
        return;
      }
      req.setTimeout(this.timeoutMs, () => {
        req.destroy();
        finish(false);
      });
      req.on('error', () => finish(false));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const want = this.c.expect_status;
        const statusOk = want
          ? want < 10
            ? Math.floor(status / 100) === want
            : status === want
          : status >= 200 && status < 300;
        if (!this.expectBody) {
          res.resume();
          finish(statusOk);
          return;
        }
        const src = gzip ? gunzipIfAsked(status, res.headers, res) : res;
        let body = '';
        src.setEncoding('utf8');
        src.on('data', (d: string) => {
          if (body.length < (this.c.max_size ?? 1 << 20)) body += d;
        });
        src.on('end', () => finish(statusOk && this.expectBody!.test(body)));
        src.on('error', () => finish(false));
      });
      req.end(this.c.body);
    });
  }
}
