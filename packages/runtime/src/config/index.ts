/** @module config: Caddy JSON config types (types only). */
export type * from './layer4.js';
