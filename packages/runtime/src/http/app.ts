/** @module http/app: the `http` app: automatic HTTPS planning, then one runtime per server. */
import type { App } from '../app.js';
import {
  durationOr,
  httpAppSchema,
  type HttpApp as HttpAppConfig,
  type HttpServer as HttpServerConfig,
} from '@proxy/contract';
import { HttpMetricSet } from '../metrics/http.js';
import { configRegistry } from '../metrics/hub.js';
import type { LoadContext, RuntimeModule } from '../modules.js';
import { TlsAppImpl } from '../tls/app.js';

import { ConfigError, joinPath } from '../util/errors.js';
import { planAutoHttps } from './auto-https.js';
import { replaceListenPlaceholders } from './listen-placeholders.js';

import { HttpServerRuntime } from './server.js';

/** The http app. */
export class HttpAppImpl implements App {
  readonly servers: HttpServerRuntime[] = [];
  constructor(
    private readonly c: HttpAppConfig,
    private readonly path: string,
  ) {}

  async provision(ctx: LoadContext): Promise<void> {
    const tls = ctx.tls;
    if (!(tls instanceof TlsAppImpl)) throw ConfigError.at(this.path, 'the tls app is required');
    const sp = joinPath(this.path, 'servers');
    const plan = planAutoHttps(replaceListenPlaceholders(this.c, ctx.env, sp), tls, sp);
    tls.manage(plan.manage);
    const metrics = this.metricSet(plan.servers, ctx);
    const seen = new Map<string, string>();
    for (const [name, cfg] of Object.entries(plan.servers)) {
      const srv = new HttpServerRuntime(name, cfg, joinPath(sp, name), tls, metrics);
      await srv.provision(ctx);
      for (const a of srv.listenAddresses) {
        for (let p = a.startPort; p <= a.endPort && p !== 0; p++) {
          const k = `${a.host}:${p}`;
          const other = seen.get(k);
          if (other)
            throw ConfigError.at(
              joinPath(joinPath(sp, name), 'listen'),
              `address ${a.original} is also used by server "${other}"`,
            );
          seen.set(k, name);
        }
      }
      this.servers.push(srv);
    }
  }

  /**
   * The HTTP metrics, when they are on. Current Caddy instruments handlers only when the app's `metrics` is
   * set; a server's own `metrics` (2.6.2's switch, deprecated now) turns them on for the app, its per_host too.
   */
  private metricSet(servers: Record<string, HttpServerConfig>, ctx: LoadContext): HttpMetricSet | undefined {
    const perServer = Object.values(servers).flatMap((s2) => (s2.metrics ? [s2.metrics] : []));
    if (!this.c.metrics && perServer.length === 0) return undefined;
    const cfg = { ...this.c.metrics };
    if (perServer.some((m) => m.per_host)) cfg.per_host = true;
    if (cfg.otlp)
      throw ConfigError.at(
        joinPath(joinPath(this.path, 'metrics'), 'otlp'),
        'exporting metrics over OTLP is not supported yet (the metrics handler and admin /metrics are)',
      );
    const hosts = Object.values(servers).flatMap((s2) =>
      (s2.routes ?? []).flatMap((rt) => (rt.match ?? []).flatMap((set) => (set.host as string[] | undefined) ?? [])),
    );
    const https = Object.values(servers).some((s2) => (s2.tls_connection_policies?.length ?? 0) > 0);
    return new HttpMetricSet(configRegistry(ctx), cfg, hosts, https);
  }

  /** A server by name. */
  server(name: string): HttpServerRuntime | undefined {
    return this.servers.find((s2) => s2.name === name);
  }

  async start(): Promise<void> {
    for (const srv of this.servers) await srv.start();
  }

  async stop(graceMs?: number): Promise<void> {
    const grace = graceMs ?? durationOr(this.c.grace_period, 0);
    await Promise.all(this.servers.map((srv) => srv.stop(grace)));
  }
}

export const httpAppModule: RuntimeModule<HttpAppImpl> = {
  id: 'http',
  kind: 'app',
  doc: 'The http app: servers, routes, automatic HTTPS.',
  schema: httpAppSchema,
  create: (json, _ctx, path) => new HttpAppImpl(json as HttpAppConfig, path),
};
