/**
 * @module metrics/http: Caddy's HTTP metrics (modules/caddyhttp/metrics.go): the metric set of a config and the
 * wrapper around each handler of a server's top-level routes. Names, help texts, labels and buckets are
 * Caddy's; `host` is current Caddy's per-host label.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { HttpMetrics } from '@proxy/contract';
import type { Handler, Next } from '../http/handler.js';
import type { HttpRequest } from '../http/request.js';
import { WrappedWriter, type ResponseWriter } from '../http/response.js';
import { asHandlerError } from '../http/errors.js';
import { BodilessRequest } from '../http/h1/bodiless-request.js';

/** prometheus.DefBuckets. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** prometheus.ExponentialBuckets(256, 4, 8). */
const SIZE_BUCKETS = Array.from({ length: 8 }, (_, i) => 256 * 4 ** i);

/** Go's http method constants: any other method is counted as OTHER (internal/metrics.SanitizeMethod). */
const METHODS = new Map(
  ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'].flatMap((m) => [
    [m, m],
    [m.toLowerCase(), m],
  ]),
);

/** internal/metrics.SanitizeMethod. */
export function sanitizeMethod(m: string): string {
  return METHODS.get(m) ?? 'OTHER';
}

/** internal/metrics.SanitizeCode: no status yet counts as the 200 it will become. */
export function sanitizeCode(status: number): string {
  return status === 0 ? '200' : String(status);
}

/** The host label given to hosts no route names, unless `observe_catchall_hosts` is set. */
export const OTHER_HOST = '_other';

/** The HTTP metrics of one config, registered in that config's registry. */
export class HttpMetricSet {
  readonly inFlight: Gauge;
  readonly requests: Counter;
  readonly errors: Counter;
  readonly duration: Histogram;
  readonly requestSize: Histogram;
  readonly responseSize: Histogram;
  readonly ttfb: Histogram;
  readonly perHost: boolean;
  private readonly catchall: boolean;
  private readonly httpsCatchall: boolean;
  private readonly exactHosts: Set<string>;
  private readonly wildcardSuffixes: string[];

  /**
   * `knownHosts` are the host matchers' names of every server: per-host labels name only those, and over
   * HTTPS (when some server has TLS) any host, since only names with a certificate get that far.
   */
  constructor(registry: Registry, cfg: HttpMetrics, knownHosts: readonly string[], httpsServers: boolean) {
    this.perHost = cfg.per_host === true;
    this.catchall = cfg.observe_catchall_hosts === true;
    this.httpsCatchall = httpsServers;
    this.exactHosts = new Set(knownHosts.filter((h) => !h.includes('*')).map((h) => h.toLowerCase()));
    this.wildcardSuffixes = knownHosts.filter((h) => h.startsWith('*.')).map((h) => h.slice(1).toLowerCase());
    const basic = this.perHost ? ['server', 'handler', 'host'] : ['server', 'handler'];
    const withStatus = [...basic, 'code', 'method'];
    const registers = [registry];
    const ns = 'caddy_http_';
    this.inFlight = new Gauge({
      name: `${ns}requests_in_flight`,
      help: 'Number of requests currently handled by this server.',
      labelNames: basic,
      registers,
    });
    this.errors = new Counter({
      name: `${ns}request_errors_total`,
      help: 'Number of requests resulting in middleware errors.',
      labelNames: basic,
      registers,
    });
    this.requests = new Counter({
      name: `${ns}requests_total`,
      help: 'Counter of HTTP(S) requests made.',
      labelNames: basic,
      registers,
    });
    const histogram = (name: string, help: string, buckets: number[]): Histogram =>
      new Histogram({ name: `${ns}${name}`, help, labelNames: withStatus, buckets, registers });
    this.duration = histogram(
      'request_duration_seconds',
      'Histogram of round-trip request durations.',
      DURATION_BUCKETS,
    );
    this.requestSize = histogram('request_size_bytes', 'Total size of the request. Includes body', SIZE_BUCKETS);
    this.responseSize = histogram('response_size_bytes', 'Size of the returned response.', SIZE_BUCKETS);
    this.ttfb = histogram(
      'response_duration_seconds',
      'Histogram of times to first byte in response bodies.',
      DURATION_BUCKETS,
    );
  }

  /**
   * The host label: the Host as sent, lower-cased (current Caddy). A host that no host matcher names is
   * counted as `_other` (on plain HTTP, or when no server has TLS) unless `observe_catchall_hosts` is on, so
   * that made-up Host fields cannot grow the label set without bound.
   */
  hostLabel(r: HttpRequest): string {
    const host = r.hostport.toLowerCase();
    if (this.catchall || (this.httpsCatchall && r.scheme === 'https')) return host;
    const name = r.hostLower;
    if (
      this.exactHosts.has(name) ||
      this.wildcardSuffixes.some((s) => name.endsWith(s) && !name.slice(0, -s.length).includes('.'))
    )
      return host;
    return OTHER_HOST;
  }
}

/**
 * promhttp's computeApproximateRequestSize, which Caddy copies: the URL, method, protocol, header names and
 * values (Go keeps Host out of the header map), the Host and the declared body length.
 */
export function approximateRequestSize(r: HttpRequest): number {
  let n = r.uri.length + r.method.length + r.proto.length + r.hostport.length;
  for (const [name, values] of r.headers.entries()) {
    if (name.length === 4 && name.toLowerCase() === 'host') continue;
    n += name.length;
    for (const v of values) n += Buffer.byteLength(v);
  }
  // A request read without a body declared none (node's `headers` object is not built for it: that is per request).
  if (r.raw instanceof BodilessRequest) return n;
  const te = r.raw.headers['transfer-encoding'];
  const cl = Number(r.raw.headers['content-length']);
  if (!te && Number.isFinite(cl)) n += cl;
  return n;
}

/** A writer that notes the final status and the time of the head, and counts the body bytes written. */
class MetricsWriter extends WrappedWriter {
  code = '';
  size = 0;
  constructor(
    inner: ResponseWriter,
    private readonly onHead: (code: string) => void,
  ) {
    super(inner);
  }

  override writeHead(status: number): void {
    // Informational heads are not the response's (Go's recorder passes them through).
    if (!this.inner.wroteHeader && !(status >= 100 && status <= 199 && status !== 101) && this.code === '') {
      this.code = sanitizeCode(status);
      this.onHead(this.code);
    }
    this.inner.writeHead(status);
  }

  override write(chunk: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    this.size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return this.inner.write(chunk);
  }

  override end(chunk?: Buffer | string): Promise<void> | void {
    if (!this.wroteHeader) this.writeHead(200);
    if (chunk !== undefined) this.size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return this.inner.end(chunk);
  }
}

/**
 * Caddy's metricsInstrumentedHandler around one handler of a server's routes. The label values known at load
 * (server, handler) are fixed here; per request only the status, method (and host) are added.
 */
export function instrument(h: Handler, handlerName: string, server: string, m: HttpMetricSet): Handler {
  const fixed = { server, handler: handlerName };
  // Label sets with a status, made once each (codes and sanitized methods are few); per-host ones per request.
  const byStatus = new Map<string, Record<string, string>>();
  const serve = async (r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> => {
    const labels: Record<string, string> = m.perHost ? { ...fixed, host: m.hostLabel(r) } : fixed;
    const method = sanitizeMethod(r.method);
    const start = performance.now();
    const status = (code: string): Record<string, string> => {
      if (m.perHost) return { ...labels, code, method };
      const k = `${code} ${method}`;
      let s = byStatus.get(k);
      if (!s) {
        s = { ...fixed, code, method };
        byStatus.set(k, s);
      }
      return s;
    };
    m.inFlight.inc(labels);
    const mw = new MetricsWriter(w, (code) => m.ttfb.observe(status(code), (performance.now() - start) / 1000));
    const observe = (fallback: number, seconds: number): void => {
      // A handler that wrote no head falls through to the empty 200 (or its error's status).
      const s = status(mw.code || sanitizeCode(fallback));
      m.duration.observe(s, seconds);
      m.requestSize.observe(s, approximateRequestSize(r));
      m.responseSize.observe(s, mw.size);
    };
    try {
      await h.serve(r, mw, next);
      const seconds = (performance.now() - start) / 1000;
      m.requests.inc(labels);
      observe(w.status, seconds);
    } catch (e) {
      const seconds = (performance.now() - start) / 1000;
      m.requests.inc(labels);
      // Current Caddy observes a failed request with its error's status; 2.6.2 only counted the error.
      observe(asHandlerError(e).status, seconds);
      m.errors.inc(labels);
      throw e;
    } finally {
      m.inFlight.dec(labels);
    }
  };
  // The handler itself was provisioned (and is cleaned up) by the load context; this only serves.
  return { serve };
}
