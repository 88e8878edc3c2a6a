export * from './diagnostics.js';
export { format } from './format/format.js';
