/**
 * @module metrics/hub: the registries a scrape reads and the scrape itself (promhttp.HandlerFor wrapped in
 * InstrumentMetricHandler, as Caddy's `metrics` handler and admin `/metrics` serve it).
 *
 * - the process registry: prom-client's default metrics (`process_*`, `nodejs_*`), once per process;
 * - the hub of a running instance: the admin API counters, the config reload gauges and the scrape counters,
 *   which live as long as the instance;
 * - the registry of a config (`configRegistry`): the http, tls and layer4 metrics, made anew with each config
 *   as current Caddy scopes them (its ctx.GetMetricsRegistry()), so counters restart at a reload.
 */
import { gzipSync } from 'node:zlib';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { LoadContext } from '../modules.js';
import { negotiate, render, type Family } from './exposition.js';

let processRegistry: Registry | undefined;

/**
 * prom-client's gauges that end in _total, which the exposition rules keep for counters (promtool's lint
 * refuses them); each has an equivalent without the suffix (nodejs_active_handles...).
 */
const MISNAMED = new Set([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]);

/** prom-client's process and Node.js metrics, collected once per process (they describe the process). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    for (const name of MISNAMED) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

/** What a scrape answers. */
export interface Exposition {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What a scrape reads from the request. */
export interface ScrapeRequest {
  accept: string | undefined;
  acceptEncoding: string | undefined;
}

/** promhttp's gzipAccepted: a "gzip" coding in Accept-Encoding. */
function gzipAccepted(header: string | undefined): boolean {
  return (header ?? '').split(',').some((p) => {
    const t = p.trim();
    return t === 'gzip' || t.startsWith('gzip;');
  });
}

/** The metrics of a running instance and the scrape over them. */
export class MetricsHub {
  readonly registry = new Registry();
  readonly adminRequests = new Counter({
    name: 'caddy_admin_http_requests_total',
    help: "Counter of requests made to the Admin API's HTTP endpoints.",
    labelNames: ['handler', 'path', 'code', 'method'],
    registers: [this.registry],
  });
  readonly adminErrors = new Counter({
    name: 'caddy_admin_http_request_errors_total',
    help: 'Number of requests resulting in middleware errors.',
    labelNames: ['handler', 'path', 'method'],
    registers: [this.registry],
  });
  private readonly reloadOk = new Gauge({
    name: 'caddy_config_last_reload_successful',
    help: 'Whether the last configuration reload attempt was successful.',
    registers: [this.registry],
  });
  private readonly reloadTime = new Gauge({
    name: 'caddy_config_last_reload_success_timestamp_seconds',
    help: 'Timestamp of the last successful configuration reload.',
    registers: [this.registry],
  });
  private readonly scrapes = new Counter({
    name: 'promhttp_metric_handler_requests_total',
    help: 'Total number of scrapes by HTTP status code.',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly scrapesInFlight = new Gauge({
    name: 'promhttp_metric_handler_requests_in_flight',
    help: 'Current number of scrapes being served.',
    registers: [this.registry],
  });

  constructor() {
    // promhttp.InstrumentMetricHandler starts these three at zero.
    for (const code of ['200', '500', '503']) this.scrapes.inc({ code }, 0);
  }

  /** Records a config load: `ok` false keeps the last success time. */
  configLoaded(ok: boolean): void {
    this.reloadOk.set(ok ? 1 : 0);
    if (ok) this.reloadTime.set(Math.floor(Date.now() / 1000));
  }

  /** Serves a scrape of the process, this instance and (when given) a config's registry. */
  async scrape(
    configRegistry: Registry | undefined,
    req: ScrapeRequest,
    allowOpenMetrics: boolean,
  ): Promise<Exposition> {
    this.scrapesInFlight.inc();
    let status = 200;
    try {
      const format = negotiate(req.accept, allowOpenMetrics);
      const registries = [processMetrics(), this.registry, ...(configRegistry ? [configRegistry] : [])];
      const families: Family[] = [];
      for (const reg of registries)
        for (const m of reg.getMetricsAsArray())
          families.push(await (m as unknown as { get(): Promise<Family> }).get());
      let body = Buffer.from(render(families, format));
      const headers: Record<string, string> = { 'Content-Type': format.contentType };
      if (gzipAccepted(req.acceptEncoding)) {
        headers['Content-Encoding'] = 'gzip';
        body = gzipSync(body);
      }
      return { status, headers, body };
    } catch (e) {
      status = 500;
      return {
        status,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
        body: Buffer.from(`An error has occurred while serving metrics:\n\n${(e as Error).message}\n`),
      };
    } finally {
      this.scrapesInFlight.dec();
      this.scrapes.inc({ code: String(status) });
    }
  }
}

const HUB_KEY = 'metrics:hub';
const REGISTRY_KEY = 'metrics:registry';

/** The hub a config is loaded under (one of its own when the loader gave none, e.g. to validate). */
export function metricsHub(ctx: LoadContext): MetricsHub {
  let hub = ctx.apps.get(HUB_KEY) as MetricsHub | undefined;
  if (!hub) {
    hub = new MetricsHub();
    ctx.apps.set(HUB_KEY, hub);
  }
  return hub;
}

/** Gives a config's load context the instance's hub. */
export function setMetricsHub(ctx: LoadContext, hub: MetricsHub): void {
  ctx.apps.set(HUB_KEY, hub);
}

/** The registry of the config being loaded in `ctx`, made on first use. */
export function configRegistry(ctx: LoadContext): Registry {
  let reg = ctx.apps.get(REGISTRY_KEY) as Registry | undefined;
  if (!reg) {
    reg = new Registry();
    ctx.apps.set(REGISTRY_KEY, reg);
  }
  return reg;
}

/** The registry of a loaded config, if anything made one. */
export function existingConfigRegistry(ctx: LoadContext): Registry | undefined {
  return ctx.apps.get(REGISTRY_KEY) as Registry | undefined;
}
