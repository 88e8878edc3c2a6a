/**
 * @module http/handlers/tracing: `http.handlers.tracing` (Caddy's modules/caddyhttp/tracing, current Caddy): a
 * server span per request, named by `span` with placeholders replaced, continuing a W3C trace context the client
 * sent. Like Caddy, the span's context is injected into the request's own `traceparent`/`tracestate` (and
 * `baggage`) fields, so reverse_proxy passes it to upstreams; `{http.vars.trace_id}`, `{http.vars.span_id}` and
 * the access log's traceID/spanID fields carry it too.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { tracingSchema, type TracingHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { compileTemplate } from '../../util/template.js';
import type { Handler } from '../handler.js';
import type { Header } from '../header.js';
import { requestResolver } from '../replacer.js';
import type { TracerLease } from '../tracing/provider.js';

const DEFAULT_SPAN_NAME = 'handler';

// The OpenTelemetry SDK (propagators, provider, exporters) is loaded by the first tracing handler provisioned:
// a config without one does not pay its start-up time and memory.
let propagatorLoad: Promise<TextMapPropagator> | undefined;
function loadPropagator(): Promise<TextMapPropagator> {
  return (propagatorLoad ??= import('@opentelemetry/core').then(
    (core) =>
      new core.CompositePropagator({
        propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
      }),
  ));
}

const getter: TextMapGetter<Header> = {
  keys: (h) => h.names(),
  get: (h, key) => {
    const v = h.values(key);
    return v.length === 0 ? undefined : v.length === 1 ? v[0] : v;
  },
};

const setter: TextMapSetter<Header> = { set: (h, key, value) => h.set(key, value) };

export const tracingHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.tracing',
  kind: 'handler',
  doc: 'Traces requests with OpenTelemetry.',
  schema: tracingSchema,
  create(json, ctx, path) {
    const cfg = json as TracingHandler;
    const spanName = compileTemplate(cfg.span || DEFAULT_SPAN_NAME, ctx.env);
    const attributes = Object.entries(cfg.span_attributes ?? {}).map(
      ([k, v]) => [k, compileTemplate(v, ctx.env)] as const,
    );
    let lease: TracerLease | undefined;
    let propagator: TextMapPropagator | undefined;
    const logger = ctx.logger.child({ logger: 'http.handlers.tracing' });
    return {
      async provision() {
        const [provider, p] = await Promise.all([import('../tracing/provider.js'), loadPropagator()]);
        propagator = p;
        lease = provider.acquireTracer(ctx.env, path, logger);
      },
      cleanup: () => lease?.release(logger),
      async serve(r, w, next) {
        const tracer = lease!.tracer;
        const res = requestResolver(r);
        const parent = propagator!.extract(ROOT_CONTEXT, r.headers, getter);
        const span = tracer.startSpan(
          spanName.render(res),
          {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': r.method,
              'url.scheme': r.scheme,
              'url.path': r.path,
              'server.address': r.host,
              'client.address': r.conn.remoteAddress,
              'network.protocol.version': r.proto.replace(/^HTTP\//, ''),
              ...(r.query ? { 'url.query': r.query } : {}),
              ...(r.headers.has('user-agent') ? { 'user_agent.original': r.headers.get('user-agent') } : {}),
            },
          },
          parent,
        );
        const spanCtx = span.spanContext();
        propagator!.inject(trace.setSpan(parent, span), r.headers, setter);
        r.vars.set('trace_id', spanCtx.traceId);
        r.vars.set('span_id', spanCtx.spanId);
        r.logFields.set('traceID', spanCtx.traceId);
        r.logFields.set('spanID', spanCtx.spanId);
        for (const [k, v] of attributes) span.setAttribute(k, v.render(res));
        try {
          await next(r, w);
        } catch (e) {
          span.recordException(e as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: String((e as Error)?.message ?? e) });
          throw e;
        } finally {
          if (w.wroteHeader) {
            span.setAttribute('http.response.status_code', w.status);
            if (w.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        }
      },
    };
  },
};
