/**
 * @module http/handlers/metrics: `http.handlers.metrics` (modules/metrics): serves the metrics of the process,
 * the instance and this config in the Prometheus text format, or OpenMetrics when the client asks for it
 * (unless `disable_openmetrics`). Like promhttp's handler, it answers every method and ends the chain.
 */
import { metricsHandlerSchema, type MetricsHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { configRegistry, metricsHub } from '../../metrics/hub.js';
import type { Handler } from '../handler.js';

export const metricsHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.metrics',
  kind: 'handler',
  doc: 'Serves Prometheus metrics (text format, or OpenMetrics when asked and not disabled).',
  schema: metricsHandlerSchema,
  create: (json, ctx) => {
    const c = json as MetricsHandler;
    const hub = metricsHub(ctx);
    const registry = configRegistry(ctx);
    const openMetrics = c.disable_openmetrics !== true;
    return {
      async serve(r, w) {
        const out = await hub.scrape(
          registry,
          { accept: r.headers.get('accept'), acceptEncoding: r.headers.get('accept-encoding') },
          openMetrics,
        );
        for (const [k, v] of Object.entries(out.headers)) w.header.set(k, v);
        w.writeHead(out.status);
        await w.end(out.body);
      },
    };
  },
};
