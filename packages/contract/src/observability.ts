/**
 * @module observability: the `tracing` handler (`tracing.Tracing`) and the `acme_server` handler
 * (`acmeserver.Handler`). Fields from Caddy's JSON tags; where current Caddy has a field 2.6.2 lacks
 * (`span_attributes`, `lifetime`, `resolvers`, `challenges`, `policy`), current Caddy is followed.
 */
import type { Duration } from './core.js';
import { s, type Own } from './schema.js';

/** `tracing`: OpenTelemetry spans (`tracing.Tracing`). */
export interface TracingHandler {
  handler: 'tracing';
  /** The span name (placeholders allowed), default "handler". */
  span?: string;
  /** Attributes added to the span, values with placeholders (current Caddy). */
  span_attributes?: Record<string, string>;
}

export const tracingSchema = s.obj<Own<TracingHandler, 'handler'>>({ span: s.str, span_attributes: s.map(s.str) });

/** Names an ACME server policy allows or denies (`acmeserver.RuleSet`, current Caddy). */
export interface AcmeRuleSet {
  /** Domain names (a leading `*.` matches one label). */
  domains?: string[];
  /** IP ranges (CIDR). */
  ip_ranges?: string[];
}

/** `acme_server`: an ACME CA endpoint (`acmeserver.Handler`). */
export interface AcmeServerHandler {
  handler: 'acme_server';
  /** The ID of the pki CA that signs, default "local". */
  ca?: string;
  /** The lifetime of issued certificates, default 12h (current Caddy). */
  lifetime?: Duration;
  /** The host name of the endpoint in directory links, default the request's. */
  host?: string;
  /** The path prefix of the endpoint, default "/acme/". */
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

const ruleSet = s.obj<AcmeRuleSet>({ domains: s.strs, ip_ranges: s.strs });

export const acmeServerSchema = s.obj<Own<AcmeServerHandler, 'handler'>>({
  ca: s.str,
  lifetime: s.dur,
  host: s.str,
  path_prefix: s.str,
  resolvers: s.strs,
  challenges: s.strs,
  policy: s.obj({ allow: ruleSet, deny: ruleSet, allow_wildcard_names: s.bool }),
  sign_with_root: s.bool,
});
