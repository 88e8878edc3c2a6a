/** @module http/handlers/reverse-proxy/health: active health checks against each upstream. */
import http from 'node:http';
import type { Logger } from 'pino';
import type { ActiveHealthChecks } from '../../../config/reverse-proxy.js';
import { durationOr } from '../../../util/duration.js';
import type { HttpTransportImpl } from './transport.js';
import type { UpstreamHost } from './upstream.js';

/** Probes upstreams on an interval, marking them healthy or not after `passes`/`fails` results in a row. */
export class ActiveHealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private readonly streak = new Map<UpstreamHost, number>();
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly expectBody: RegExp | undefined;

  constructor(private readonly c: ActiveHealthChecks, private readonly hosts: UpstreamHost[],
    private readonly transport: HttpTransportImpl, private readonly log: Logger) {
    this.intervalMs = durationOr(c.interval, 30_000);
    this.timeoutMs = durationOr(c.timeout, 5_000);
    this.expectBody = c.expect_body ? new RegExp(c.expect_body) : undefined;
  }

  start(): void {
    const run = () => void this.checkAll().catch((e: unknown) => this.log.error({ error: String(e) }, 'active health check failed'));
    run();
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async checkAll(): Promise<void> {
    await Promise.all(this.hosts.map((h) => this.checkOne(h)));
  }

  private async checkOne(h: UpstreamHost): Promise<void> {
    const ok = await this.probe(h);
    const need = ok ? (this.c.passes ?? 1) : (this.c.fails ?? 1);
    const prev = this.streak.get(h) ?? 0;
    const streak = ok ? (prev > 0 ? prev + 1 : 1) : (prev < 0 ? prev - 1 : -1);
    this.streak.set(h, streak);
    if (Math.abs(streak) >= need && h.activeHealthy !== ok) {
      h.activeHealthy = ok;
      this.log.info({ host: h.dial }, ok ? 'host is up' : 'host is down');
    }
  }

  private probe(h: UpstreamHost): Promise<boolean> {
    const uri = this.c.uri ?? this.c.path ?? '/';
    const headers: http.OutgoingHttpHeaders = { host: h.dial };
    for (const [k, v] of Object.entries(this.c.headers ?? {})) headers[k] = v;
    const target = this.c.port ? Object.assign(Object.create(Object.getPrototypeOf(h)) as UpstreamHost, h, { port: this.c.port }) : h;
    return new Promise((resolve) => {
      let done = false;
      const finish = (ok: boolean) => { if (!done) { done = true; resolve(ok); } };
      let req: http.ClientRequest;
      // A header value node refuses (control characters) throws here: the check fails, nothing else.
      try { req = this.transport.request(target, { method: this.c.method ?? 'GET', path: uri, headers }); } catch { finish(false); return; }
      req.setTimeout(this.timeoutMs, () => { req.destroy(); finish(false); });
      req.on('error', () => finish(false));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const want = this.c.expect_status;
        const statusOk = want ? (want < 10 ? Math.floor(status / 100) === want : status === want) : status >= 200 && status < 300;
        if (!this.expectBody) { res.resume(); finish(statusOk); return; }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { if (body.length < (this.c.max_size ?? 1 << 20)) body += d; });
        res.on('end', () => finish(statusOk && this.expectBody!.test(body)));
        res.on('error', () => finish(false));
      });
      req.end(this.c.body);
    });
  }
}
