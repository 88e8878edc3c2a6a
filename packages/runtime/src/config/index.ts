/** @module config: Caddy JSON config types (types only). */
export type * from './core.js';
export type * from './http.js';
export type * from './handlers.js';
export type * from './reverse-proxy.js';
export type * from './tls.js';
export type * from './pki.js';
export type * from './layer4.js';
