/**
 * The metrics handler, Caddy's HTTP metrics (names, labels, buckets, when they are on), the admin /metrics
 * and the exposition formats.
 */
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goG, negotiate, render } from '../src/metrics/exposition.js';
import { sanitizeCode, sanitizeMethod } from '../src/metrics/http.js';
import { schema, type AnyModule } from '@proxy/runtime';
import { freePort, get, getTls, start, type Started } from './helpers.js';
import { connect, readAll, readBytes, taggedEcho } from './layer4-support.js';

/** The value of one sample line (`name{labels} value`), undefined when absent. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

const routes = [
  { match: [{ path: ['/metrics'] }], handle: [{ handler: 'metrics' }] },
  { match: [{ path: ['/om'] }], handle: [{ handler: 'metrics', disable_openmetrics: true }] },
  { match: [{ path: ['/hello'] }], handle: [{ handler: 'static_response', status_code: 201, body: 'hi' }] },
  { match: [{ path: ['/err'] }], handle: [{ handler: 'error', status_code: 503, error: 'boom' }] },
  { match: [{ path: ['/empty'] }], handle: [{ handler: 'vars', x: 'y' }] },
];

const app = (metrics: Record<string, unknown> | undefined, server: Record<string, unknown> = {}) => ({
  apps: {
    http: {
      ...(metrics ? { metrics } : {}),
      servers: {
        srv0: { listen: ['127.0.0.1:0'], automatic_https: { disable: true }, routes, ...server },
      },
    },
  },
});

describe('exposition', () => {
  it("formats values as Go's strconv 'g' does", () => {
    expect(goG(0.005)).toBe('0.005');
    expect(goG(262144)).toBe('262144');
    expect(goG(1048576)).toBe('1.048576e+06');
    expect(goG(0.00001)).toBe('1e-05');
    expect(goG(1796419271.01)).toBe('1.79641927101e+09');
    expect(goG(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(goG(0)).toBe('0');
  });
  it('negotiates OpenMetrics only when asked and allowed', () => {
    expect(negotiate(undefined, true).contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const om = 'application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    expect(negotiate(om, true).contentType).toBe('application/openmetrics-text; version=0.0.1; charset=utf-8');
    expect(negotiate(om, false).openMetrics).toBe(false);
    expect(negotiate('text/plain;q=0.9,application/openmetrics-text;version=1.0.0', true).contentType).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(negotiate('application/openmetrics-text; version=9', true).openMetrics).toBe(false);
  });
  it('sorts families and labels, drops empty families, and names OpenMetrics counters without _total', () => {
    const fams = [
      { name: 'b_total', help: 'B.', type: 'counter', values: [{ value: 2, labels: { z: '1', a: 'x"y' } }] },
      { name: 'a_empty', help: 'none', type: 'gauge', values: [] },
      { name: 'a', help: 'A\nline', type: 'gauge', values: [{ value: 1, labels: {} }] },
    ];
    expect(render(fams, negotiate('', true))).toBe(
      '# HELP a A\\nline\n# TYPE a gauge\na 1\n# HELP b_total B.\n# TYPE b_total counter\nb_total{a="x\\"y",z="1"} 2\n',
    );
    expect(render(fams, negotiate('application/openmetrics-text', true))).toBe(
      '# HELP a A\\nline\n# TYPE a gauge\na 1.0\n# HELP b B.\n# TYPE b counter\nb_total{a="x\\"y",z="1"} 2.0\n# EOF\n',
    );
  });
  it("sanitizes methods and codes as Caddy's internal/metrics does", () => {
    expect(sanitizeMethod('get')).toBe('GET');
    expect(sanitizeMethod('PROPFIND')).toBe('OTHER');
    expect(sanitizeCode(0)).toBe('200');
    expect(sanitizeCode(404)).toBe('404');
  });
});

describe('http metrics on (the http app sets metrics)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start(app({}));
  });
  afterAll(() => s.close());

  it('counts requests per server and handler, with code and method on the histograms', async () => {
    const port = s.port();
    expect((await get(port, '/hello')).status).toBe(201);
    expect((await get(port, '/hello')).status).toBe(201);
    expect((await get(port, '/hello', { method: 'POST', body: 'abcd' })).status).toBe(201);
    expect((await get(port, '/err', { method: 'PROPFIND' })).status).toBe(503);
    expect((await get(port, '/empty')).status).toBe(200);
    const r = await get(port, '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = r.body;
    expect(sample(m, 'caddy_http_requests_total{handler="static_response",server="srv0"}')).toBe(3);
    expect(sample(m, 'caddy_http_requests_total{handler="error",server="srv0"}')).toBe(1);
    expect(sample(m, 'caddy_http_request_errors_total{handler="error",server="srv0"}')).toBe(1);
    expect(sample(m, 'caddy_http_request_errors_total{handler="static_response",server="srv0"}')).toBeUndefined();
    const sr = 'code="201",handler="static_response",method="GET",server="srv0"';
    expect(sample(m, `caddy_http_request_duration_seconds_count{${sr}}`)).toBe(2);
    expect(sample(m, `caddy_http_response_duration_seconds_count{${sr}}`)).toBe(2);
    expect(sample(m, `caddy_http_response_size_bytes_sum{${sr}}`)).toBe(4);
    expect(sample(m, `caddy_http_response_size_bytes_bucket{${sr},le="256"}`)).toBe(2);
    expect(sample(m, `caddy_http_response_size_bytes_bucket{${sr},le="4.194304e+06"}`)).toBe(2);
    expect(sample(m, `caddy_http_request_duration_seconds_bucket{${sr},le="+Inf"}`)).toBe(2);
    expect(sample(m, `caddy_http_request_duration_seconds_bucket{${sr},le="10"}`)).toBe(2);
    // "/hello" + "GET" + "HTTP/1.1" + "localhost" + "Connection" "close" (node's client, agent: false); no body.
    expect(sample(m, `caddy_http_request_size_bytes_sum{${sr}}`)).toBe(2 * (6 + 3 + 8 + 9 + 10 + 5));
    // The POST's declared body length counts: + "Content-Length" "4" + 4.
    const post = 'code="201",handler="static_response",method="POST",server="srv0"';
    expect(sample(m, `caddy_http_request_size_bytes_sum{${post}}`)).toBe(6 + 4 + 8 + 9 + 10 + 5 + 14 + 1 + 4);
    // A failed request is observed with its error's status (current Caddy); an unknown method is OTHER.
    const err = 'code="503",handler="error",method="OTHER",server="srv0"';
    expect(sample(m, `caddy_http_request_duration_seconds_count{${err}}`)).toBe(1);
    expect(sample(m, `caddy_http_response_duration_seconds_count{${err}}`)).toBeUndefined();
    // A handler that passes on to the empty end counts as the 200 it becomes, with no time to first byte.
    const empty = 'code="200",handler="vars",method="GET",server="srv0"';
    expect(sample(m, `caddy_http_request_duration_seconds_count{${empty}}`)).toBe(1);
    expect(sample(m, `caddy_http_response_duration_seconds_count{${empty}}`)).toBeUndefined();
    // The scrape itself is in flight while it is written.
    expect(sample(m, 'caddy_http_requests_in_flight{handler="metrics",server="srv0"}')).toBe(1);
    expect(sample(m, 'caddy_http_requests_in_flight{handler="static_response",server="srv0"}')).toBe(0);
    expect(m).toMatch(/^process_resident_memory_bytes \d/m);
    expect(m).toMatch(/^nodejs_heap_size_total_bytes \d/m);
    expect(m).not.toMatch(/nodejs_active_handles_total/);
    expect(m).toMatch(/^promhttp_metric_handler_requests_total\{code="200"\} \d+$/m);
    // Families come sorted by name.
    const names = [...m.matchAll(/^# TYPE (\S+)/gm)].map((x) => x[1]!);
    expect(names).toEqual([...names].sort());
    const again = (await get(port, '/metrics')).body;
    expect(sample(again, 'caddy_http_requests_total{handler="metrics",server="srv0"}')).toBe(1);
  });

  it('serves OpenMetrics when asked unless disable_openmetrics, and gzip when accepted', async () => {
    const port = s.port();
    const accept = 'application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const om = await get(port, '/metrics', { headers: { accept } });
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=0.0.1; charset=utf-8');
    expect(om.body).toMatch(/^# TYPE caddy_http_requests counter$/m);
    expect(om.body).toMatch(/^caddy_http_requests_total\{handler="static_response",server="srv0"\} \d+\.0$/m);
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    const text = await get(port, '/om', { headers: { accept } });
    expect(text.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.body).toMatch(/^# TYPE caddy_http_requests_total counter$/m);
    const gz = await get(port, '/metrics', { headers: { 'accept-encoding': 'gzip' }, raw: true });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(gz.body, 'latin1')).toString()).toMatch(/^# TYPE caddy_http_requests_total/m);
  });
});

describe('when metrics are on', () => {
  it('instruments nothing without the metrics option (current Caddy), though the handler still serves', async () => {
    const s = await start(app(undefined));
    try {
      await get(s.port(), '/hello');
      const m = (await get(s.port(), '/metrics')).body;
      expect(m).not.toMatch(/caddy_http_/);
      expect(m).toMatch(/^process_cpu_seconds_total /m);
    } finally {
      await s.close();
    }
  });

  it("turns on with a server's own (deprecated) metrics, and labels hosts with per_host", async () => {
    const s = await start(
      app(undefined, {
        metrics: { per_host: true },
        routes: [
          { match: [{ host: ['known.example'] }], handle: [{ handler: 'static_response', body: 'k' }] },
          ...routes,
        ],
      }),
    );
    try {
      await get(s.port(), '/', { host: 'Known.Example' });
      await get(s.port(), '/hello', { host: 'random.example' });
      const m = (await get(s.port(), '/metrics')).body;
      expect(sample(m, 'caddy_http_requests_total{handler="static_response",host="known.example",server="srv0"}')).toBe(
        1,
      );
      // A host no route names is counted under one label, so that clients cannot grow the label set.
      expect(sample(m, 'caddy_http_requests_total{handler="static_response",host="_other",server="srv0"}')).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('observe_catchall_hosts labels every host', async () => {
    const s = await start(app({ per_host: true, observe_catchall_hosts: true }));
    try {
      await get(s.port(), '/hello', { host: 'random.example' });
      const m = (await get(s.port(), '/metrics')).body;
      expect(
        sample(m, 'caddy_http_requests_total{handler="static_response",host="random.example",server="srv0"}'),
      ).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('refuses otlp with the JSON path', async () => {
    await expect(start(app({ otlp: true }))).rejects.toThrow(/apps\.http\.metrics\.otlp.*OTLP is not supported/);
  });

  it('refuses unknown fields of the metrics settings and the handler', async () => {
    await expect(start(app({ per_hots: true }))).rejects.toThrow(/apps\.http\.metrics\.per_hots/);
    await expect(
      start({
        apps: {
          http: {
            servers: {
              srv0: {
                listen: ['127.0.0.1:0'],
                routes: [{ handle: [{ handler: 'metrics', disable_openmetric: true }] }],
              },
            },
          },
        },
      }),
    ).rejects.toThrow(/disable_openmetric/);
  });
});

describe('admin /metrics', () => {
  let s: Started;
  let adminPort: number;
  const admin = (p: string, method = 'GET', body?: unknown) =>
    get(adminPort, p, {
      method,
      host: `127.0.0.1:${adminPort}`,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
  const cfg = () => ({ admin: { listen: `127.0.0.1:${adminPort}` }, ...app({}) });
  beforeAll(async () => {
    adminPort = await freePort();
    s = await start(cfg());
  });
  afterAll(() => s.close());

  it('serves the same registry, counts admin requests by route, and restarts http counters with a new config', async () => {
    await get(s.port(), '/hello');
    expect((await admin('/config/')).status).toBe(200);
    expect((await admin('/nope')).status).toBe(404);
    const first = await admin('/metrics', 'GET');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = first.body;
    expect(sample(m, 'caddy_http_requests_total{handler="static_response",server="srv0"}')).toBe(1);
    expect(sample(m, 'caddy_admin_http_requests_total{code="200",handler="admin",method="GET",path="/config/"}')).toBe(
      1,
    );
    expect(m).not.toMatch(/path="\/nope"/);
    expect(sample(m, 'caddy_config_last_reload_successful')).toBe(1);
    // The admin endpoint never offers OpenMetrics (Caddy's admin metrics handler does not).
    const om = await get(adminPort, '/metrics', {
      host: `127.0.0.1:${adminPort}`,
      headers: { accept: 'application/openmetrics-text; version=0.0.1' },
    });
    expect(om.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');

    expect((await admin('/load', 'POST', { apps: { http: { servers: { srv0: { listen: 'oops' } } } } })).status).toBe(
      400,
    );
    const afterBad = (await admin('/metrics')).body;
    expect(sample(afterBad, 'caddy_config_last_reload_successful')).toBe(0);
    expect(sample(afterBad, 'caddy_admin_http_request_errors_total{handler="load",method="POST",path="/load"}')).toBe(
      1,
    );
    // Each scrape is counted once it is answered: the two before this one.
    expect(
      sample(afterBad, 'caddy_admin_http_requests_total{code="200",handler="metrics",method="GET",path="/metrics"}'),
    ).toBe(2);

    const next = cfg();
    // The reload keeps the port the first config bound.
    next.apps.http.servers.srv0.listen = [`127.0.0.1:${s.port()}`];
    expect((await admin('/load', 'POST', next)).status).toBe(200);
    const fresh = (await admin('/metrics')).body;
    expect(sample(fresh, 'caddy_config_last_reload_successful')).toBe(1);
    // Current Caddy scopes the http metrics to the config: the new one starts from nothing.
    expect(sample(fresh, 'caddy_http_requests_total{handler="static_response",server="srv0"}')).toBeUndefined();
    await get(s.port(), '/hello');
    const later = (await admin('/metrics')).body;
    expect(sample(later, 'caddy_http_requests_total{handler="static_response",server="srv0"}')).toBe(1);
  });
});

describe('no request ends the process', () => {
  const boom: AnyModule = {
    id: 'http.handlers.boom',
    kind: 'handler',
    doc: 'throws',
    schema: schema.obj({}),
    create: () => ({
      serve: async () => {
        throw new Error('plain failure');
      },
    }),
  } as AnyModule;

  it('a handler that throws a plain error is counted as a 500 error; a client leaving mid-scrape is harmless', async () => {
    const cfg = app({});
    cfg.apps.http.servers.srv0.routes = [{ match: [{ path: ['/boom'] }], handle: [{ handler: 'boom' }] }, ...routes];
    const s = await start(cfg, [boom]);
    try {
      expect((await get(s.port(), '/boom')).status).toBe(500);
      await new Promise<void>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: s.port(), path: '/metrics', agent: false }, (res) => {
          res.destroy();
          resolve();
        });
        req.on('error', () => resolve());
      });
      expect((await get(s.port(), '/hello')).status).toBe(201);
      const m = (await get(s.port(), '/metrics')).body;
      expect(sample(m, 'caddy_http_request_errors_total{handler="boom",server="srv0"}')).toBe(1);
      expect(
        sample(m, 'caddy_http_request_duration_seconds_count{code="500",handler="boom",method="GET",server="srv0"}'),
      ).toBe(1);
    } finally {
      await s.close();
    }
  });
});

describe('TLS and layer4 connection metrics', () => {
  it('counts TLS handshakes by result and layer4 connections by server; per_host labels any host over HTTPS', async () => {
    const echo = await taggedEcho('E');
    const [httpsPort, l4Port] = [await freePort(), await freePort()];
    const s = await start({
      apps: {
        layer4: {
          servers: {
            l4: {
              listen: [`127.0.0.1:${l4Port}`],
              routes: [{ handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${echo.port}`] }] }] }],
            },
          },
        },
        http: {
          metrics: { per_host: true },
          servers: {
            srv0: {
              listen: [`127.0.0.1:${httpsPort}`],
              routes: [
                { match: [{ host: ['metrics.localhost'] }], handle: [{ handler: 'static_response', body: 'ok' }] },
                { handle: [{ handler: 'static_response', body: 'any' }] },
              ],
            },
            srv1: { listen: ['127.0.0.1:0'], automatic_https: { disable: true }, routes },
          },
        },
      },
    });
    try {
      const ca = await s.inst.rootCertificate();
      expect((await getTls(httpsPort, '/', { servername: 'metrics.localhost', ca })).body).toBe('ok');
      // Over HTTPS a host no route names keeps its own label (only names with a certificate get a handshake).
      const other = await getTls(httpsPort, '/', {
        servername: 'metrics.localhost',
        ca,
        headers: { host: 'Other.Localhost' },
      });
      expect(other.body).toBe('any');
      // Plain HTTP to the TLS port: no handshake.
      const plain = await connect(httpsPort);
      plain.write('GET / HTTP/1.1\r\nHost: metrics.localhost\r\n\r\n');
      await readAll(plain);
      const c = await connect(l4Port);
      c.write('hi');
      expect((await readBytes(c, 4)).toString()).toBe('E:hi');
      c.destroy();
      const scrape = async () => (await get(s.port('srv1'), '/metrics')).body;
      let m = await scrape();
      for (let i = 0; i < 50 && sample(m, 'caddy_layer4_connections_in_flight{server="l4"}') !== 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        m = await scrape();
      }
      expect(sample(m, 'caddy_tls_handshakes_total{result="ok"}')).toBe(2);
      expect(sample(m, 'caddy_tls_handshakes_total{result="error"}')).toBe(1);
      expect(sample(m, 'caddy_layer4_connections_total{server="l4"}')).toBe(1);
      expect(sample(m, 'caddy_layer4_connections_in_flight{server="l4"}')).toBe(0);
      expect(
        sample(m, 'caddy_http_requests_total{handler="static_response",host="other.localhost",server="srv0"}'),
      ).toBe(1);
      expect(
        sample(m, 'caddy_http_requests_total{handler="static_response",host="metrics.localhost",server="srv0"}'),
      ).toBe(1);
      // Over plain HTTP it does not.
      expect(sample(m, 'caddy_http_requests_total{handler="metrics",host="_other",server="srv1"}')).toBeGreaterThan(0);
    } finally {
      await s.close();
      await echo.close();
    }
  });
});

describe('caddy_reverse_proxy_upstreams_healthy', () => {
  it('is 1 for usable upstreams and 0 once passive health checks take one out', async () => {
    const dead = await freePort();
    const cfg = app(undefined);
    cfg.apps.http.servers.srv0.routes = [
      ...routes,
      {
        match: [{ path: ['/rp'] }],
        handle: [
          {
            handler: 'reverse_proxy',
            upstreams: [{ dial: `127.0.0.1:${dead}` }, { dial: '{http.request.host}:1' }],
            health_checks: { passive: { fail_duration: 60e9 } },
            load_balancing: { selection_policy: { policy: 'first' } },
          },
        ],
      },
    ] as typeof routes;
    const s = await start(cfg);
    try {
      const before = (await get(s.port(), '/metrics')).body;
      expect(sample(before, `caddy_reverse_proxy_upstreams_healthy{upstream="127.0.0.1:${dead}"}`)).toBe(1);
      expect(sample(before, 'caddy_reverse_proxy_upstreams_healthy{upstream="{http.request.host}:1"}')).toBe(1);
      expect((await get(s.port(), '/rp')).status).toBe(502);
      const after = (await get(s.port(), '/metrics')).body;
      expect(sample(after, `caddy_reverse_proxy_upstreams_healthy{upstream="127.0.0.1:${dead}"}`)).toBe(0);
    } finally {
      await s.close();
    }
  });
});
