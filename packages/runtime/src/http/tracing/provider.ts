/**
 * @module http/tracing/provider: the OpenTelemetry tracer provider every `tracing` handler shares, as Caddy's
 * tracing module keeps one global provider counted by its users and flushed and shut down when the last
 * goes. The OTLP exporter is configured from the standard OTEL_* variables. Caddy's exporter speaks gRPC
 * by default; this one defaults to http/protobuf (the OpenTelemetry JS default) and also speaks http/json.
 */
import type { Tracer } from '@opentelemetry/api';
import { parseKeyPairsIntoRecord, setGlobalErrorHandler } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import { ConfigError } from '../../util/errors.js';

/** The web engine Caddy reports in the resource. */
const WEB_ENGINE = 'Caddy';
/** How long a flush on unload may take before spans still queued are dropped. */
const FLUSH_TIMEOUT_MS = 5000;

/** Where and how spans are exported, from the environment. */
export interface ExporterSettings {
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  headers: Record<string, string>;
  /** How long one export may take, retries included (ms). */
  timeoutMillis: number;
}

/** Reads the OTLP trace exporter settings from OTEL_* variables (signal-specific ones first, per the spec). */
export function exporterSettings(env: NodeJS.ProcessEnv, path: string): ExporterSettings {
  const protocol = (env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] || env['OTEL_EXPORTER_OTLP_PROTOCOL'] || 'http/protobuf')
    .trim()
    .toLowerCase();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json')
    throw ConfigError.at(path, `OTLP protocol "${protocol}" is not supported (http/protobuf and http/json are)`);
  const signal = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  const url = signal || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : 'http://localhost:4318/v1/traces');
  try {
    new URL(url);
  } catch {
    throw ConfigError.at(path, `invalid OTLP traces endpoint ${JSON.stringify(url)}`);
  }
  const headers = {
    ...parseKeyPairsIntoRecord(env['OTEL_EXPORTER_OTLP_HEADERS']),
    ...parseKeyPairsIntoRecord(env['OTEL_EXPORTER_OTLP_TRACES_HEADERS']),
  };
  const timeout = env['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'] || env['OTEL_EXPORTER_OTLP_TIMEOUT'] || '10000';
  const timeoutMillis = Number(timeout);
  if (!Number.isInteger(timeoutMillis) || timeoutMillis <= 0)
    throw ConfigError.at(path, `invalid OTLP timeout ${JSON.stringify(timeout)} (milliseconds)`);
  return { url, protocol, headers, timeoutMillis };
}

function serviceResource(env: NodeJS.ProcessEnv) {
  return defaultResource().merge(
    resourceFromAttributes({
      ...parseKeyPairsIntoRecord(env['OTEL_RESOURCE_ATTRIBUTES']),
      // Caddy names the service "caddy" unless OTEL_SERVICE_NAME says otherwise.
      'service.name': env['OTEL_SERVICE_NAME']?.trim() || 'caddy',
      'webengine.name': WEB_ENGINE,
    }),
  );
}

let shared: { provider: TracerProvider; users: number } | undefined;

/** A handle on the shared provider; `release` once when the handler unloads. */
export interface TracerLease {
  tracer: Tracer;
  release(logger: Logger): Promise<void>;
}

/**
 * Takes a reference on the shared provider, creating it on first use. A later config whose exporter settings
 * differ gets the provider the first one made, as in Caddy, until every user has released it.
 */
export function acquireTracer(env: NodeJS.ProcessEnv, path: string, logger: Logger): TracerLease {
  const settings = exporterSettings(env, path);
  if (!shared) {
    // Failed exports reach OpenTelemetry's global error handler, silent by default: log them instead.
    setGlobalErrorHandler((e) => logger.error({ error: String(e) }, 'exporting spans'));
    const opts = { url: settings.url, headers: settings.headers, timeoutMillis: settings.timeoutMillis };
    const exporter = settings.protocol === 'http/json' ? new OtlpJsonExporter(opts) : new OtlpProtoExporter(opts);
    const provider = new TracerProvider({
      resource: serviceResource(env),
      spanProcessors: [new BatchSpanProcessor({ exporter })],
    });
    shared = { provider, users: 0 };
  }
  const mine = shared;
  mine.users++;
  const tracer = mine.provider.getTracer('github.com/caddyserver/caddy/v2/modules/caddyhttp/tracing');
  let released = false;
  return {
    tracer,
    async release(logger) {
      if (released) return;
      released = true;
      if (--mine.users > 0) return;
      if (shared === mine) shared = undefined;
      await bounded(mine.provider.forceFlush(), logger, 'flushing spans');
      await bounded(mine.provider.shutdown(), logger, 'shutting down the tracer provider');
    },
  };
}

async function bounded(p: Promise<void>, logger: Logger, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), FLUSH_TIMEOUT_MS);
    timer.unref();
  });
  try {
    if ((await Promise.race([p, timeout])) === 'timeout')
      logger.error({ timeout_ms: FLUSH_TIMEOUT_MS }, `${what} timed out`);
  } catch (e) {
    logger.error({ error: String(e) }, what);
  } finally {
    clearTimeout(timer);
  }
}
