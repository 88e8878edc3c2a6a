/**
 * @module @proxy/traefik: Traefik configuration files (YAML or TOML; dynamic, and optionally static) adapted to
 * Caddy JSON: TCP routers, services and TLS become caddy-l4's `layer4` app and the tls app's certificates.
 * Anything not supported is an error naming its key path and line, never dropped.
 */
export { adaptTraefik, type TraefikAdaptOptions, type TraefikAdaptResult, type TraefikFile } from './adapt.js';
export { formatTraefikDiagnostic, TraefikConfigError, type TraefikDiagnostic } from './diagnostics.js';
export { parseRule, RuleSyntaxError, type RuleExpr } from './rule.js';
export { formatOf, type Format } from './source.js';
