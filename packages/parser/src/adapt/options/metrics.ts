/** @module options/metrics: `metrics { per_host; observe_catchall_hosts; otlp }`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { HttpMetrics } from '@proxy/contract';
import { struct } from '../json.js';
import type { ModuleOfKind } from '../module.js';

/** Parses the global `metrics` option into `caddyhttp.Metrics`. */
export function parseOptMetrics(d: Dispenser): HttpMetrics {
  d.next();
  let perHost = false;
  let catchall = false;
  let otlp = false;
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'per_host':
        perHost = true;
        break;
      case 'observe_catchall_hosts':
        catchall = true;
        break;
      case 'otlp':
        otlp = true;
        break;
      default:
        throw d.err(`unrecognized servers option '${d.val()}'`);
    }
  }
  return struct<HttpMetrics>({ per_host: perHost, observe_catchall_hosts: catchall, otlp });
}

export const MetricsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'metrics',
  syntax: 'metrics { per_host; observe_catchall_hosts; otlp }',
  doc: 'Turns on HTTP request metrics (caddy_http_*) for the handlers of every server; `metrics` handlers and the admin /metrics serve them.',
  subdirectives: [
    { name: 'per_host', syntax: 'per_host', doc: 'Labels metrics by host (hosts no route names count as `_other`).' },
    {
      name: 'observe_catchall_hosts',
      syntax: 'observe_catchall_hosts',
      doc: 'With per_host, labels every host, also those no route names.',
    },
    { name: 'otlp', syntax: 'otlp', doc: 'Also exports over OpenTelemetry (not supported by this runtime).' },
  ],
  parse: parseOptMetrics,
};
