/** @module @proxy/parser: the Caddyfile lexer, parser, formatter and adapter. */
export * from './diagnostics.js';
export * from './caddyfile/index.js';
export * from './adapt/index.js';
export { format } from './format/format.js';
export * from './lint/index.js';
export { defaultDirectiveOrder } from './adapt/directives/order.js';
