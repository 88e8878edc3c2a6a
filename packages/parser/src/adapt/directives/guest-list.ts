/**
 * @module directives/guest-list: the guest modules that HTTP directives load by ID: reverse_proxy's load-balancing
 * policies, transports and dynamic upstream sources, encode's formats, and the log writers, encoders and filters.
 */
import type { GuestKind, ModuleOfKind } from '../module.js';
import { ENCODE_FORMATS } from './encode.js';
import { LOG_ENCODERS } from './log-encoders.js';
import { LOG_FILTERS } from './log-filters.js';
import { LOG_WRITERS } from './log-writers.js';
import { UPSTREAM_SOURCES } from './reverse-proxy-dynamic.js';
import { LB_POLICIES } from './reverse-proxy-lb-policies.js';
import { TRANSPORTS } from './reverse-proxy.js';

export function listHTTPGuestModules(): readonly ModuleOfKind<GuestKind>[] {
  return [
    // http.reverse_proxy.selection_policies.*, http.reverse_proxy.transport.*, http.reverse_proxy.upstreams.*
    ...LB_POLICIES,
    ...TRANSPORTS,
    ...UPSTREAM_SOURCES,
    // http.encoders.*
    ...ENCODE_FORMATS,
    // caddy.logging.writers.*, caddy.logging.encoders.*, caddy.logging.encoders.filter.*
    ...LOG_WRITERS,
    ...LOG_ENCODERS,
    ...LOG_FILTERS,
  ];
}
