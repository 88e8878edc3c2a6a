/**
 * @module metrics/reverse-proxy: Caddy's caddy_reverse_proxy_upstreams_healthy{upstream} (reverseproxy/metrics.go):
 * 1 for an upstream the proxy would use, 0 for one its health checks took out. Caddy refreshes it every 10 s
 * from a goroutine; here it is computed when scraped, from every reverse_proxy handler of the config.
 */
import { Gauge, type Registry } from 'prom-client';

/** Upstreams and whether each is healthy now: the configured dial address and its health. */
export type UpstreamHealthSource = () => Iterable<readonly [string, boolean]>;

const sources = new WeakMap<Registry, Set<UpstreamHealthSource>>();

/** Adds a handler's upstreams to the gauge of the config's registry (created with the first one). */
export function reportUpstreamHealth(registry: Registry, source: UpstreamHealthSource): void {
  let set = sources.get(registry);
  if (!set) {
    const all = new Set<UpstreamHealthSource>();
    set = all;
    sources.set(registry, all);
    new Gauge({
      name: 'caddy_reverse_proxy_upstreams_healthy',
      help: 'Health status of reverse proxy upstreams.',
      labelNames: ['upstream'],
      registers: [registry],
      collect() {
        this.reset();
        for (const src of all) for (const [upstream, ok] of src()) this.set({ upstream }, ok ? 1 : 0);
      },
    });
  }
  set.add(source);
}
