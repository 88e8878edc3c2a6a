/** @module config: Caddy JSON config types, defined in @proxy/contract (kept for `@proxy/runtime/config` users). */
export type * from '@proxy/contract';
