/**
 * @module unimplemented-handlers: HTTP handler modules the adapter emits but the runtime does not build (it lists
 * them as unsupported, so a config using them fails at load). Typed here so the adapter's output is checked;
 * no schemas. Fields from Caddy's JSON tags; where current Caddy has a field 2.6.2 lacks, the adapter follows it.
 */
import type { Duration } from './core.js';
import type { HeaderOps } from './handlers.js';

/** A resource to push (`push.Resource`). */
export interface PushResource {
  /** GET (default) or HEAD. */
  method?: string;
  /** The path of the resource. */
  target?: string;
}

/** `push`: HTTP/2 server push (`push.Handler`). */
export interface PushHandler {
  handler: 'push';
  /** Resources pushed for every matching request. */
  resources?: PushResource[];
  /** Header operations on the synthetic push requests. */
  headers?: HeaderOps;
}

/** `tracing`: OpenTelemetry spans (`tracing.Tracing`). */
export interface TracingHandler {
  handler: 'tracing';
  /** The span name. */
  span?: string;
  /** Attributes added to the span (current Caddy). */
  span_attributes?: Record<string, string>;
}

/** `metrics`: serves Prometheus metrics (`metrics.Metrics`). */
export interface MetricsHandler {
  handler: 'metrics';
  /** Serves the Prometheus text format only. */
  disable_openmetrics?: boolean;
}

/** Names an ACME server policy allows or denies (`acmeserver.RuleSet`, current Caddy). */
export interface AcmeRuleSet {
  /** Domain names. */
  domains?: string[];
  /** IP ranges (CIDR). */
  ip_ranges?: string[];
}

/** `acme_server`: an ACME CA endpoint (`acmeserver.Handler`). */
export interface AcmeServerHandler {
  handler: 'acme_server';
  /** The ID of the pki CA that signs, default "local". */
  ca?: string;
  /** The lifetime of issued certificates (current Caddy). */
  lifetime?: Duration;
  /** The host name of the endpoint. */
  host?: string;
  /** The path prefix of the endpoint. */
  path_prefix?: string;
  /** DNS resolvers for challenges (current Caddy). */
  resolvers?: string[];
  /** The challenge types offered (current Caddy). */
  challenges?: string[];
  /** Which names may get certificates (current Caddy). */
  policy?: { allow?: AcmeRuleSet; deny?: AcmeRuleSet; allow_wildcard_names?: boolean };
  /** Signs with the root instead of the intermediate. */
  sign_with_root?: boolean;
}
