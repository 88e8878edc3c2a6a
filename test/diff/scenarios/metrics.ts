/**
 * @module diff/scenarios/metrics: the `metrics` handler. Values differ between the servers (timings, process
 * figures), so bodies are compared as the list of metric families both expose: Caddy's HTTP metrics, the
 * reverse proxy's upstream health, the scrape counters and the process metrics Go and prom-client share. Current Caddy turns request metrics on
 * with the global `metrics` option; 2.6.2 (which lacks it) with `servers { metrics }`.
 */
import type { Scenario } from '../types.js';
import { site } from './util.js';

/**
 * Keeps only the TYPE lines of the families both servers expose. Normalisations apply to header values and
 * every body too, so lines are dropped only from texts that hold a "# HELP" line (expositions).
 */
const familiesOnly: [RegExp, string][] = [
  [
    /^(?!# TYPE (?:caddy_http_\S+|caddy_reverse_proxy_\S+|promhttp_\S+|process_(?:cpu_seconds_total|max_fds|open_fds|resident_memory_bytes|start_time_seconds|virtual_memory_bytes)) )(?:(?=[\s\S]*^# HELP )|(?<=^# HELP [\s\S]*)).*\n?/gm,
    '',
  ],
];

const OPENMETRICS = 'application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const SITE =
  'metrics /metrics\nmetrics /text {\n\tdisable_openmetrics\n}\nrespond /hello "hi" 201\nreverse_proxy /rp {{UP1}}';

export const metrics: Scenario[] = [
  {
    name: 'metrics-handler',
    global: 'metrics',
    global262: 'servers {\n\tmetrics\n}',
    caddyfile: site(SITE),
    caddyfile262: site(SITE),
    normalize: familiesOnly,
    requests: [
      { path: '/hello' },
      { path: '/rp' },
      { label: 'text', path: '/metrics' },
      { label: 'openmetrics', path: '/metrics', headers: [['Accept', OPENMETRICS]] },
      { label: 'openmetrics disabled', path: '/text', headers: [['Accept', OPENMETRICS]] },
      { label: 'gzip', path: '/metrics', headers: [['Accept-Encoding', 'gzip']] },
      { label: 'POST scrape', method: 'POST', path: '/metrics', body: 'x' },
    ],
  },
  {
    name: 'metrics-off',
    // Without the option neither server instruments requests: only the process and scrape families.
    caddyfile: site('metrics /metrics\nrespond /hello "hi"'),
    normalize: familiesOnly,
    requests: [{ path: '/hello' }, { label: 'text', path: '/metrics' }],
  },
];
