/**
 * @module @proxy/contract: Caddy's canonical JSON config, defined once. The adapter (Caddyfile -> JSON) emits these
 * types and the runtime loads them; neither defines the shape of a module's JSON on its own. Each module's schema
 * (what the runtime checks before provisioning) sits next to its type and is typed against it.
 */
export * from './duration.js';
export * from './path.js';
export * from './schema.js';
export * from './core.js';
export * from './http.js';
export * from './handlers.js';
export * from './unimplemented-handlers.js';
export * from './observability.js';
export * from './reverse-proxy.js';
export * from './tls.js';
export * from './pki.js';
export * from './listeners.js';
export * from './log-modules.js';
export * from './layer4.js';
export * from './ip-ranges.js';
export * from './events.js';
export * from './filesystems.js';
export * from './storage.js';
