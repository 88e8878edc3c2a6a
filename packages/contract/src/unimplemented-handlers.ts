/**
 * @module unimplemented-handlers: HTTP handler modules the adapter emits but the runtime does not build (it lists
 * them as unsupported, so a config using them fails at load). Typed here so the adapter's output is checked;
 * no schemas. Fields from Caddy's JSON tags; where current Caddy has a field 2.6.2 lacks, the adapter follows it.
 */
import type { HeaderOps } from './handlers.js';

/** `templates`: executes responses as Go templates (`templates.Templates`). */
export interface TemplatesHandler {
  handler: 'templates';
  /** The root of file includes. */
  file_root?: string;
  /** The MIME types to execute, default text/html and text/plain. */
  mime_types?: string[];
  /** The two delimiters, default `{{` and `}}`. */
  delimiters?: string[];
  /** Extra template function modules (`http.handlers.templates.functions.*`), by name. */
  extensions?: Record<string, unknown>;
}

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
