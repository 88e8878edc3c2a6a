/**
 * @module @proxy/contract: Caddy's canonical JSON config, defined once. The adapter (Caddyfile -> JSON) emits these
 * types and the runtime loads them; neither defines the shape of a module's JSON on its own.
 */
export * from './duration.js';
export * from './ip-ranges.js';
