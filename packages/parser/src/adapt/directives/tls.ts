/** @module directives/tls: the `tls` directive (placeholder until the TLS pipeline lands). */
import type { Helper } from '../helper.js';
import type { ConfigValue } from '../registry.js';

/** Parses `tls`. */
export function parseTLSDirective(h: Helper): ConfigValue[] {
  h.next();
  throw h.err('tls directive: not implemented yet');
}
