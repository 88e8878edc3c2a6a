/** The tracing handler: OTLP export of server spans, W3C trace context in and out, trace vars. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { get, start } from './helpers.js';
import { startReceiver, type Receiver } from './otlp-receiver.js';

const OTEL_VARS = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_SERVICE_NAME',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
];
const saved = Object.fromEntries(OTEL_VARS.map((k) => [k, process.env[k]]));
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  for (const k of OTEL_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanups.push(() => r.close());
  return r;
}

/** An upstream that records the trace headers it is sent. */
async function upstream(): Promise<{ dial: string; seen: Array<{ traceparent?: string; tracestate?: string }> }> {
  const seen: Array<{ traceparent?: string; tracestate?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({
      ...(req.headers.traceparent ? { traceparent: String(req.headers.traceparent) } : {}),
      ...(req.headers.tracestate ? { tracestate: String(req.headers.tracestate) } : {}),
    });
    res.end('upstream');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { dial: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function config(handle: unknown[]): Record<string, unknown> {
  return {
    apps: {
      http: {
        servers: {
          srv0: { listen: ['127.0.0.1:0'], automatic_https: { disable: true }, routes: [{ handle }] },
        },
      },
    },
  };
}

const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

describe('tracing', () => {
  it('exports a server span over OTLP http/protobuf and propagates the trace context to upstreams', async () => {
    const rx = await receiver();
    const up = await upstream();
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = rx.url;
    const s = await start(
      config([
        {
          handler: 'tracing',
          span: '{http.request.method} {http.request.uri.path}',
          span_attributes: { 'app.host': '{http.request.host}', 'app.literal': 'x' },
        },
        { handler: 'headers', response: { set: { 'X-Trace': ['{http.vars.trace_id}/{http.vars.span_id}'] } } },
        { handler: 'reverse_proxy', upstreams: [{ dial: up.dial }] },
      ]),
    );
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await s.close();
    });
    const res = await get(s.port(), '/items?x=1', {
      host: 'example.test',
      headers: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, tracestate: 'vendor=abc' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe('upstream');
    const [traceId, spanId] = String(res.headers['x-trace']).split('/');
    expect(traceId).toBe(CLIENT_TRACE);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe(CLIENT_SPAN);
    // The upstream's parent is the proxy's span, in the client's trace, with its trace state kept.
    expect(up.seen).toEqual([{ traceparent: `00-${CLIENT_TRACE}-${spanId}-01`, tracestate: 'vendor=abc' }]);

    // Unloading the config flushes the batch.
    await s.close();
    closed = true;
    expect(rx.contentTypes).toEqual(['application/x-protobuf']);
    expect(rx.spans).toHaveLength(1);
    const span = rx.spans[0]!;
    expect(span).toMatchObject({
      traceId: CLIENT_TRACE,
      spanId,
      parentSpanId: CLIENT_SPAN,
      name: 'GET /items',
      kind: 2, // SPAN_KIND_SERVER
    });
    expect(span.attributes).toMatchObject({
      'app.host': 'example.test',
      'app.literal': 'x',
      'http.request.method': 'GET',
      'url.path': '/items',
      'url.query': 'x=1',
      'http.response.status_code': 200,
    });
    expect(span.resource).toMatchObject({ 'service.name': 'caddy', 'webengine.name': 'Caddy' });
  });

  it('starts a new trace without a valid traceparent, honours OTEL_SERVICE_NAME and the http/json protocol', async () => {
    const rx = await receiver();
    process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] = `${rx.url}/v1/traces`;
    process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'http/json';
    process.env['OTEL_SERVICE_NAME'] = 'edge';
    const s = await start(
      config([{ handler: 'tracing' }, { handler: 'static_response', body: '{http.vars.trace_id}', status_code: 503 }]),
    );
    // A malformed traceparent is ignored: the request starts a trace of its own.
    const res = await get(s.port(), '/', { headers: { traceparent: '00-zz-bad', tracestate: '=,=' } });
    await s.close();
    expect(res.status).toBe(503);
    expect(res.body).toMatch(/^[0-9a-f]{32}$/);
    expect(rx.contentTypes).toEqual(['application/json']);
    expect(rx.spans).toHaveLength(1);
    expect(rx.spans[0]).toMatchObject({ traceId: res.body, parentSpanId: '', name: 'handler' });
    expect(rx.spans[0]!.attributes['http.response.status_code']).toBe(503);
    expect(rx.spans[0]!.resource['service.name']).toBe('edge');
  });

  it("loses no span across a reload and exports both configs' spans by the time the last one unloads", async () => {
    const rx = await receiver();
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = rx.url;
    const cfg = (span: string, listen: string) => ({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: [listen],
              automatic_https: { disable: true },
              routes: [
                {
                  handle: [
                    { handler: 'tracing', span },
                    { handler: 'static_response', body: span },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    const s = await start(cfg('first', '127.0.0.1:0'));
    const port = s.port();
    expect((await get(port, '/')).body).toBe('first');
    await s.inst.reload({ admin: { disabled: true }, ...cfg('second', `127.0.0.1:${port}`) });
    expect((await get(port, '/')).body).toBe('second');
    await s.close();
    expect(rx.spans.map((sp) => sp.name).sort()).toEqual(['first', 'second']);
  });

  it('keeps serving when the collector is down, and refuses an OTLP protocol it does not speak', async () => {
    const rx = await receiver();
    await rx.close(); // nothing listens there now
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = rx.url;
    process.env['OTEL_EXPORTER_OTLP_TIMEOUT'] = '500';
    const s = await start(config([{ handler: 'tracing' }, { handler: 'static_response', body: 'ok' }]));
    expect((await get(s.port(), '/')).body).toBe('ok');
    await s.close();
    expect(s.logs.join('')).toMatch(/"error":"Error: connect ECONNREFUSED[^"]*","msg":"flushing spans"/);

    process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'grpc';
    await expect(start(config([{ handler: 'tracing' }]))).rejects.toThrow(/OTLP protocol "grpc" is not supported/);
  });
});
