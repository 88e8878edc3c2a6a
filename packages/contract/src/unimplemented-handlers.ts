/**
 * @module unimplemented-handlers: HTTP handler modules the adapter emits but the runtime does not build (it lists
 * them as unsupported, so a config using them fails at load). Typed here so the adapter's output is checked;
 * no schemas. Fields from Caddy's JSON tags; where current Caddy has a field 2.6.2 lacks, the adapter follows it.
 */
import type { HeaderOps } from './handlers.js';

/** A resource to push (`push.Resource`). */
export interface PushResource {
  /** GET (default) or HEAD. */
  method?: string;
  /** The path of the resource. */
  target?: string;
}

/** `push`: HTTP/2 server push (`push.Handler`). */
export interface PushHandler {
  handler: 'push';
  /** Resources pushed for every matching request. */
  resources?: PushResource[];
  /** Header operations on the synthetic push requests. */
  headers?: HeaderOps;
}
