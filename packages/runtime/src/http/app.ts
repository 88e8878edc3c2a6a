/** @module http/app: the `http` app: automatic HTTPS planning, then one runtime per server. */
import type { App } from '../app.js';
import type { HttpApp as HttpAppConfig } from '../config/http.js';
import type { LoadContext, ModuleInfo } from '../modules.js';
import { s } from '../schema.js';
import { TlsAppImpl } from '../tls/app.js';
import { connectionPolicySchema } from '../tls/policies.js';
import { durationOr } from '@proxy/contract';
import { ConfigError, joinPath } from '../util/errors.js';
import { planAutoHttps } from './auto-https.js';
import { errorsSchema, routeSchema } from './routes.js';
import { HttpServerRuntime } from './server.js';

/** The http app. */
export class HttpAppImpl implements App {
  readonly servers: HttpServerRuntime[] = [];
  constructor(private readonly c: HttpAppConfig, private readonly path: string) {}

  async provision(ctx: LoadContext): Promise<void> {
    const tls = ctx.tls;
    if (!(tls instanceof TlsAppImpl)) throw ConfigError.at(this.path, 'the tls app is required');
    const sp = joinPath(this.path, 'servers');
    const plan = planAutoHttps(this.c, tls, sp);
    tls.manage(plan.manage);
    const seen = new Map<string, string>();
    for (const [name, cfg] of Object.entries(plan.servers)) {
      const srv = new HttpServerRuntime(name, cfg, joinPath(sp, name), tls);
      await srv.provision(ctx);
      for (const a of srv.listenAddresses) {
        for (let p = a.startPort; p <= a.endPort && p !== 0; p++) {
          const k = `${a.host}:${p}`;
          const other = seen.get(k);
          if (other) throw ConfigError.at(joinPath(joinPath(sp, name), 'listen'), `address ${a.original} is also used by server "${other}"`);
          seen.set(k, name);
        }
      }
      this.servers.push(srv);
    }
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

const dur = s.dur;

/** The schema of an HTTP server. */
export const httpServerSchema = s.obj({
  listen: s.strs,
  listener_wrappers: s.arr(s.mod('caddy.listeners', 'wrapper')),
  packet_conn_wrappers: s.any,
  read_timeout: dur, read_header_timeout: dur, read_idle_timeout: dur, read_min_rate: s.int, write_timeout: dur,
  write_idle_timeout: dur, write_min_rate: s.int, max_write_chunk: s.int, idle_timeout: dur, keepalive_interval: dur,
  keepalive_idle: dur, keepalive_count: s.int, max_header_bytes: s.int, enable_full_duplex: s.bool,
  expected_underscore_headers: s.strs, expected_dot_headers: s.strs,
  routes: s.arr(routeSchema),
  errors: errorsSchema,
  named_routes: s.map(routeSchema),
  tls_connection_policies: s.arr(connectionPolicySchema),
  automatic_https: s.obj({ disable: s.bool, disable_redirects: s.bool, disable_certificates: s.bool, skip: s.strs, skip_certificates: s.strs, ignore_loaded_certificates: s.bool }),
  strict_sni_host: s.bool,
  trusted_proxies: s.obj({ source: s.str, ranges: s.strs }, true),
  client_ip_headers: s.strs, trusted_proxies_strict: s.int, trusted_proxies_unix: s.bool,
  logs: s.obj({ default_logger_name: s.str, logger_names: s.map(s.any), skip_hosts: s.strs, skip_unmapped_hosts: s.bool, should_log_credentials: s.bool, trace: s.bool }),
  protocols: s.strs, listen_protocols: s.arr(s.strs), allow_0rtt: s.bool, metrics: s.any,
});

export const httpAppModule: ModuleInfo<HttpAppImpl> = {
  id: 'http',
  schema: s.obj({
    http_port: s.int, https_port: s.int, grace_period: dur, shutdown_delay: dur,
    servers: s.map(httpServerSchema), metrics: s.any,
  }),
  create: (json, _ctx, path) => new HttpAppImpl(json as HttpAppConfig, path),
};
