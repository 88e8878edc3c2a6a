/** @module handlers: HTTP handler modules (`http.handlers.*`). */
import type { Duration } from './core.js';
import { errorsSchema, routeSchema, type Route } from './http.js';
import type { ReverseProxyHandler } from './reverse-proxy.js';
import { s, type Own } from './schema.js';
import type { AcmeServerHandler, TracingHandler } from './observability.js';
import type { PushHandler } from './unimplemented-handlers.js';

/** Any HTTP handler; `handler` names the module. */
export type HttpHandler = AdaptedHttpHandler | GenericHandler;

/**
 * Every handler the Caddyfile adapter emits (those the runtime implements and those it lists as unsupported),
 * without `GenericHandler`: a handler directive returns one, so a field its type lacks fails to compile.
 */
export type AdaptedHttpHandler =
  | StaticResponseHandler
  | SubrouteHandler
  | HeadersHandler
  | RewriteHandler
  | VarsHandler
  | MapHandler
  | ErrorHandler
  | RequestBodyHandler
  | TimeoutsHandler
  | AuthenticationHandler
  | EncodeHandler
  | FileServerHandler
  | InvokeHandler
  | LogAppendHandler
  | InterceptHandler
  | CopyResponseHandler
  | CopyResponseHeadersHandler
  | ReverseProxyHandler
  | TemplatesHandler
  | PushHandler
  | TracingHandler
  | MetricsHandler
  | AcmeServerHandler;

/**
 * Caddy's `caddyhttp.WeakString` as it marshals: an integer, `true`/`false`, or else a string. The schemas
 * accept all three, as Caddy's UnmarshalJSON does; a boolean status code fails the request with a 500, as in Caddy.
 */
export type WeakString = number | string | boolean;

/** A handler module this file does not describe. */
export interface GenericHandler {
  /** The handler module name. */
  handler: string;
  [field: string]: unknown;
}

/** `static_response`: writes a fixed response. */
export interface StaticResponseHandler {
  handler: 'static_response';
  /** Status code (may be a placeholder string). */
  status_code?: WeakString;
  /** Response header fields. */
  headers?: Record<string, string[]>;
  /** Response body (placeholders allowed). */
  body?: string;
  /** Close the connection after responding. */
  close?: boolean;
  /** Abort the connection without a response. */
  abort?: boolean;
}

/** `subroute`: a nested list of routes. */
export interface SubrouteHandler {
  handler: 'subroute';
  /** The routes. */
  routes?: Route[];
  /** Error routes for this subroute. */
  errors?: { routes?: Route[] };
}

/** Header operations (`headers.HeaderOps`). */
export interface HeaderOps {
  /** Fields to add. */
  add?: Record<string, string[]>;
  /** Fields to set (replace). */
  set?: Record<string, string[]>;
  /** Fields to delete (with * globs). */
  delete?: string[];
  /** Substring/regexp replacements per field ("*" for all). */
  replace?: Record<string, Array<{ search?: string; search_regexp?: string; replace?: string }>>;
}

/** Response header operations (`headers.RespHeaderOps`). */
export interface RespHeaderOps extends HeaderOps {
  /** Only apply when the response matches. */
  require?: ResponseMatcher;
  /** Apply when the response headers are written. */
  deferred?: boolean;
}

/** `headers`: manipulates request and response headers. */
export interface HeadersHandler {
  handler: 'headers';
  /** Request header operations. */
  request?: HeaderOps;
  /** Response header operations. */
  response?: RespHeaderOps;
}

/** `rewrite`: changes the request URI or method. */
export interface RewriteHandler {
  handler: 'rewrite';
  /** New method. */
  method?: string;
  /** New URI (placeholders allowed; a query part merges). */
  uri?: string;
  /** Prefix to strip from the path. */
  strip_path_prefix?: string;
  /** Suffix to strip from the path. */
  strip_path_suffix?: string;
  /** Substring replacements in the URI. */
  uri_substring?: Array<{ find?: string; replace?: string; limit?: number }>;
  /** Regexp replacements in the path. */
  path_regexp?: Array<{ find?: string; replace?: string }>;
  /** Query operations. */
  query?: {
    rename?: Array<{ key?: string; val?: string }>;
    set?: Array<{ key?: string; val?: string }>;
    add?: Array<{ key?: string; val?: string }>;
    replace?: Array<{ key?: string; search?: string; search_regexp?: string; replace?: string }>;
    delete?: string[];
  };
}

/** `vars`: sets request variables (every other key is a variable). */
export interface VarsHandler {
  handler: 'vars';
  [name: string]: unknown;
}

/** `map`: maps a source value to destination placeholders. */
export interface MapHandler {
  handler: 'map';
  /** The input placeholder. */
  source?: string;
  /** The output placeholders. */
  destinations?: string[];
  /** Mappings, first match wins. */
  mappings?: Array<{ input?: string; input_regexp?: string; outputs?: unknown[] }>;
  /** Defaults per destination. */
  defaults?: string[];
}

/** `error`: returns an error to trigger error routes. */
export interface ErrorHandler {
  handler: 'error';
  /** The error message. */
  error?: string;
  /** Status code (default 500). */
  status_code?: WeakString;
}

/** `request_body`: limits the request body. */
export interface RequestBodyHandler {
  handler: 'request_body';
  /** Maximum body size in bytes. */
  max_size?: number;
  /** Replace the body with this value. */
  set?: string;
}

/**
 * `timeouts` (current Caddy, not 2.6.2): per-request read and write deadlines, the per-route form of the server's
 * `timeouts`. A min rate (bytes per second) extends a deadline by the time its bytes may take at that rate.
 */
export interface TimeoutsHandler {
  handler: 'timeouts';
  /** How long reading the request body may take (nanoseconds). */
  read_timeout?: Duration;
  /** Bytes per second the body read may keep to extend `read_timeout`. */
  read_min_rate?: number;
  /** How long writing the response may take (nanoseconds). */
  write_timeout?: Duration;
  /** Bytes per second the response may keep to extend `write_timeout`. */
  write_min_rate?: number;
  /** Largest piece a response write is split into, so each piece gets its share of the deadline. */
  max_write_chunk?: number;
}

/** `authentication`: authenticates requests with providers. */
export interface AuthenticationHandler {
  handler: 'authentication';
  /** Providers keyed by name (`http_basic`). */
  providers?: {
    http_basic?: HttpBasicProvider;
    [name: string]: unknown;
  };
}

/** `encode`: compresses responses. */
export interface EncodeHandler {
  handler: 'encode';
  /** Encodings keyed by name: gzip, zstd. */
  encodings?: { gzip?: GzipEncoder; zstd?: ZstdEncoder; [name: string]: unknown };
  /** Preferred order. */
  prefer?: string[];
  /** Minimum body length to compress. */
  minimum_length?: number;
  /** Response matcher. */
  match?: ResponseMatcher;
}

/** `file_server`: serves static files. */
export interface FileServerHandler {
  handler: 'file_server';
  /** File system module name. */
  fs?: string;
  /** Root directory (placeholders allowed). */
  root?: string;
  /** Files and paths to hide. */
  hide?: string[];
  /** Index file names, default index.html, index.txt. */
  index_names?: string[];
  /** Directory browsing (not enabled by default). */
  browse?: { template_file?: string; reveal_symlinks?: boolean; sort?: string[]; file_limit?: number };
  /** Redirect to canonical URIs (trailing slash); default true. */
  canonical_uris?: boolean;
  /** Override the status code. */
  status_code?: WeakString;
  /** Pass to the next handler when a file is not found. */
  pass_thru?: boolean;
  /** Precompressed file encodings. */
  precompressed?: Record<string, unknown>;
  /** Precompressed preference order. */
  precompressed_order?: string[];
  /** Sidecar ETag file extensions. */
  etag_file_extensions?: string[];
}

/** `invoke`: runs a named route. */
export interface InvokeHandler {
  handler: 'invoke';
  /** The named route. */
  name?: string;
}

/** `log_append`: adds a field to the access log entry. */
/** `templates`: executes responses as Go templates (`templates.Templates`). */
export interface TemplatesHandler {
  handler: 'templates';
  /** The root of file includes, default `{http.vars.root}`. */
  file_root?: string;
  /** The MIME types to execute, default text/html, text/plain and text/markdown. */
  mime_types?: string[];
  /** The two delimiters, default `{{` and `}}`. */
  delimiters?: string[];
  /** Extra template function modules (`http.handlers.templates.functions.*`), by name. */
  extensions?: Record<string, unknown>;
}

export interface LogAppendHandler {
  handler: 'log_append';
  /** The field name. */
  key?: string;
  /** The value (placeholders allowed). */
  value?: string;
  /** Evaluate the value before the next handlers run, not after. */
  early?: boolean;
}

/** A response matcher (`caddyhttp.ResponseMatcher`). */
export interface ResponseMatcher {
  /** Status codes (a code below 100 is a class: 2 means 2xx). */
  status_code?: number[];
  /** Header values by field; null means the field must be absent. */
  headers?: Record<string, string[] | null>;
}

/** A response handler of `intercept` and `reverse_proxy` (`caddyhttp.ResponseHandler`). */
export interface ResponseHandler {
  /** When it applies. */
  match?: ResponseMatcher;
  /** Replaces the status code. */
  status_code?: WeakString;
  /** Routes that handle the response. */
  routes?: Route[];
}

/** `intercept`: handles the response of the handlers behind it. */
export interface InterceptHandler {
  handler: 'intercept';
  /** Response handlers, first match wins. */
  handle_response?: ResponseHandler[];
}

/** `copy_response`: writes the proxied response (inside `handle_response`). */
export interface CopyResponseHandler {
  handler: 'copy_response';
  /** Replaces the status code. */
  status_code?: WeakString;
}

/** `copy_response_headers`: copies the proxied response's header fields (inside `handle_response`). */
export interface CopyResponseHeadersHandler {
  handler: 'copy_response_headers';
  /** Fields to copy (all when empty). */
  include?: string[];
  /** Fields not to copy. */
  exclude?: string[];
}

/** `http.authentication.providers.http_basic`. */
export interface HttpBasicProvider {
  /** Hash algorithm: `{"algorithm":"bcrypt"}`. */
  hash?: { algorithm: string; [f: string]: unknown };
  /** Accounts with hashed passwords (base64 or plain bcrypt). */
  accounts?: Array<{ username: string; password: string; salt?: string }>;
  /** The realm. */
  realm?: string;
  /** Cache hashed comparisons. */
  hash_cache?: Record<string, never>;
}

/** `http.encoders.gzip`. */
export interface GzipEncoder {
  /** Compression level. */
  level?: number;
}

/** `http.encoders.zstd`. */
export interface ZstdEncoder {
  /** Compression level name. */
  level?: string;
}

/** The schema of HeaderOps. */
export const headerOpsSchema = s.obj<HeaderOps>({
  add: s.map(s.strs),
  set: s.map(s.strs),
  delete: s.strs,
  replace: s.map(s.arr(s.obj({ search: s.str, search_regexp: s.str, replace: s.str }))),
});

/** The schema of a response matcher. */
export const responseMatcherSchema = s.obj<ResponseMatcher>({
  status_code: s.arr(s.int),
  headers: s.map(s.nullable(s.strs)),
});

/** The schema of RespHeaderOps. */
export const respHeaderOpsSchema = s.obj<RespHeaderOps>({
  add: s.map(s.strs),
  set: s.map(s.strs),
  delete: s.strs,
  replace: s.map(s.arr(s.obj({ search: s.str, search_regexp: s.str, replace: s.str }))),
  require: responseMatcherSchema,
  deferred: s.bool,
});

/** The schema of a response handler. */
export const responseHandlerSchema = s.obj<ResponseHandler>({
  match: responseMatcherSchema,
  status_code: s.intOrStr,
  routes: s.arr(routeSchema),
});

export const staticResponseSchema = s.obj<Own<StaticResponseHandler, 'handler'>>({
  status_code: s.intOrStr,
  headers: s.map(s.strs),
  body: s.str,
  close: s.bool,
  abort: s.bool,
});

/** `metrics`: serves Prometheus metrics (`metrics.Metrics`). */
export interface MetricsHandler {
  handler: 'metrics';
  /** Serves the Prometheus text format only, even to a client that asks for OpenMetrics. */
  disable_openmetrics?: boolean;
}

export const metricsHandlerSchema = s.obj<Own<MetricsHandler, 'handler'>>({
  disable_openmetrics: s.bool,
});

export const subrouteSchema = s.obj<Own<SubrouteHandler, 'handler'>>({
  routes: s.arr(routeSchema),
  errors: errorsSchema,
});

export const headersSchema = s.obj<Own<HeadersHandler, 'handler'>>({
  request: headerOpsSchema,
  response: respHeaderOpsSchema,
});

const kv = s.arr(s.obj({ key: s.str, val: s.str }));

export const rewriteSchema = s.obj<Own<RewriteHandler, 'handler'>>({
  method: s.str,
  uri: s.str,
  strip_path_prefix: s.str,
  strip_path_suffix: s.str,
  uri_substring: s.arr(s.obj({ find: s.str, replace: s.str, limit: s.int })),
  path_regexp: s.arr(s.obj({ find: s.str, replace: s.str })),
  query: s.obj({
    rename: kv,
    set: kv,
    add: kv,
    replace: s.arr(s.obj({ key: s.str, search: s.str, search_regexp: s.str, replace: s.str })),
    delete: s.strs,
  }),
});

/** Every field but `handler` is a variable. */
export const varsSchema = s.obj<Own<VarsHandler, 'handler'>>({}, true);

export const mapSchema = s.obj<Own<MapHandler, 'handler'>>({
  source: s.str,
  destinations: s.strs,
  defaults: s.strs,
  mappings: s.arr(s.obj({ input: s.str, input_regexp: s.str, outputs: s.arr(s.any) })),
});

export const errorSchema = s.obj<Own<ErrorHandler, 'handler'>>({ error: s.str, status_code: s.intOrStr });

export const requestBodySchema = s.obj<Own<RequestBodyHandler, 'handler'>>({ max_size: s.int, set: s.str });

export const timeoutsSchema = s.obj<Own<TimeoutsHandler, 'handler'>>({
  read_timeout: s.dur,
  read_min_rate: s.int,
  write_timeout: s.dur,
  write_min_rate: s.int,
  max_write_chunk: s.int,
});

export const httpBasicSchema = s.obj<HttpBasicProvider>({
  hash: s.obj({ algorithm: s.str }, true),
  accounts: s.arr(s.obj({ username: s.str, password: s.str, salt: s.str })),
  realm: s.str,
  hash_cache: s.obj({}, true),
});

export const authenticationSchema = s.obj<Own<AuthenticationHandler, 'handler'>>({
  providers: s.modmap('http.authentication.providers'),
});

export const gzipEncoderSchema = s.obj<GzipEncoder>({ level: s.int });
export const zstdEncoderSchema = s.obj<ZstdEncoder>({ level: s.str });

export const encodeSchema = s.obj<Own<EncodeHandler, 'handler'>>({
  encodings: s.obj({ gzip: gzipEncoderSchema, zstd: zstdEncoderSchema }),
  prefer: s.strs,
  minimum_length: s.int,
  match: responseMatcherSchema,
});

export const fileServerSchema = s.obj<Own<FileServerHandler, 'handler'>>({
  fs: s.str,
  root: s.str,
  hide: s.strs,
  index_names: s.strs,
  canonical_uris: s.bool,
  status_code: s.intOrStr,
  pass_thru: s.bool,
  etag_file_extensions: s.strs,
  precompressed_order: s.strs,
  precompressed: s.map(s.obj({}, true)),
  browse: s.obj({ template_file: s.str, reveal_symlinks: s.bool, sort: s.strs, file_limit: s.int }),
});

export const invokeSchema = s.obj<Own<InvokeHandler, 'handler'>>({ name: s.str });

export const templatesSchema = s.obj<Own<TemplatesHandler, 'handler'>>({
  file_root: s.str,
  mime_types: s.strs,
  delimiters: s.strs,
  extensions: s.modmap('http.handlers.templates.functions'),
});

export const logAppendSchema = s.obj<Own<LogAppendHandler, 'handler'>>({ key: s.str, value: s.str, early: s.bool });

export const interceptSchema = s.obj<Own<InterceptHandler, 'handler'>>({
  handle_response: s.arr(responseHandlerSchema),
});

export const copyResponseSchema = s.obj<Own<CopyResponseHandler, 'handler'>>({ status_code: s.intOrStr });

export const copyResponseHeadersSchema = s.obj<Own<CopyResponseHeadersHandler, 'handler'>>({
  include: s.strs,
  exclude: s.strs,
});
