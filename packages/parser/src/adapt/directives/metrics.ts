/** @module metrics: the `metrics` handler directive (serves Prometheus metrics). */
import type { MetricsHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import type { ModuleOfKind } from '../module.js';

export const MetricsDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'metrics',
  syntax: 'metrics [<matcher>] { disable_openmetrics }',
  doc: 'Serves Prometheus metrics (process, admin API and, with the global `metrics` option, HTTP request metrics) in the text format, or OpenMetrics when the client asks.',
  subdirectives: [
    {
      name: 'disable_openmetrics',
      syntax: 'disable_openmetrics',
      doc: 'Serves the Prometheus text format only, even when OpenMetrics is asked for.',
    },
  ],
  parse: (h) => {
    h.next();
    if (h.remainingArgs().length > 0) throw h.argErr();
    const out: StructFields<MetricsHandler> = {};
    while (h.nextBlock(0)) {
      if (h.val() !== 'disable_openmetrics') throw h.err(`unrecognized subdirective ${JSON.stringify(h.val())}`);
      out.disable_openmetrics = true;
    }
    return moduleObject<MetricsHandler>('handler', 'metrics', out);
  },
};
