/** @module config: Caddy JSON config types (types only). */
export {};
