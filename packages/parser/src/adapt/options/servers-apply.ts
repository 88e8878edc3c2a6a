/** @module options/servers-apply: applies `servers` global options to built servers (Caddy's `applyServerOptions`). */
import { AdaptError } from '../core/errors.js';
import type { ServerDraft } from '../core/servers.js';
import type { HttpMetrics, HttpServer } from '@proxy/contract';
import { struct } from '../json.js';
import { optionValue } from './values.js';

/** A parsed `servers [address] { ... }` option. */
export interface ServerOptions {
  listenerAddress: string;
  name?: string;
  /** Server JSON fields this option sets (listener_wrappers, timeouts, protocols, ...). */
  fields: HttpServer;
  /** Deprecated per-server metrics, hoisted to the app. */
  metrics?: HttpMetrics;
  shouldLogCredentials?: boolean;
  trace?: boolean;
}

/** Applies the first matching servers option (longest address first) to each server, then renames. */
export function applyServerOptions(
  servers: Map<string, ServerDraft & { metrics?: HttpMetrics | undefined }>,
  options: ReadonlyMap<string, unknown>,
): void {
  const opts = optionValue(options, 'servers');
  if (!opts) return;
  const names = new Set<string>();
  for (const o of opts) {
    if (!o.name) continue;
    if (names.has(o.name))
      throw new AdaptError(`applying global server options: cannot use duplicate server name '${o.name}'`);
    names.add(o.name);
  }
  const renames = new Map<string, string>();
  for (const [key, srv] of servers) {
    const o = opts.find((s) => s.listenerAddress === '' || srv.listen.includes(s.listenerAddress));
    if (!o) continue;
    srv.extra = { ...o.fields };
    srv.listenerWrappers = undefined;
    srv.metrics = o.metrics;
    if (o.shouldLogCredentials) {
      srv.logs ??= {};
      srv.logs.should_log_credentials = true;
    }
    if (o.trace) {
      srv.logs ??= {};
      srv.logs.trace = true;
    }
    if (o.name) renames.set(key, o.name);
  }
  for (const [from, to] of renames) {
    const s = servers.get(from)!;
    servers.delete(from);
    servers.set(to, s);
  }
}

/** Moves per-server metrics to the app, merged with the global `metrics` option. */
export function hoistMetrics(
  servers: Map<string, ServerDraft & { metrics?: HttpMetrics | undefined }>,
  options: ReadonlyMap<string, unknown>,
): HttpMetrics | undefined {
  let metrics = optionValue(options, 'metrics');
  for (const s of servers.values()) {
    if (!s.metrics) continue;
    const m = metrics ?? {};
    metrics = struct<HttpMetrics>({
      per_host: !!m.per_host || !!s.metrics.per_host,
      observe_catchall_hosts: !!m.observe_catchall_hosts || !!s.metrics.observe_catchall_hosts,
      otlp: m.otlp ?? s.metrics.otlp,
    });
    s.metrics = undefined;
  }
  return metrics;
}
