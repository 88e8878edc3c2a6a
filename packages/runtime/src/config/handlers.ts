/** @module config/handlers: HTTP handler modules (`http.handlers.*`). */
import type { Route } from './http.js';
import type { ReverseProxyHandler } from './reverse-proxy.js';

/** Any HTTP handler; `handler` names the module. */
export type HttpHandler =
  | StaticResponseHandler | SubrouteHandler | HeadersHandler | RewriteHandler | VarsHandler | MapHandler
  | ErrorHandler | RequestBodyHandler | AuthenticationHandler | EncodeHandler | FileServerHandler
  | ReverseProxyHandler | GenericHandler;

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
  status_code?: number | string;
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
  require?: { status_code?: number[]; headers?: Record<string, string[]> };
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
  status_code?: number | string;
}

/** `request_body`: limits the request body. */
export interface RequestBodyHandler {
  handler: 'request_body';
  /** Maximum body size in bytes. */
  max_size?: number;
  /** Replace the body with this value. */
  set?: string;
}

/** `authentication`: authenticates requests with providers. */
export interface AuthenticationHandler {
  handler: 'authentication';
  /** Providers keyed by name (`http_basic`). */
  providers?: {
    http_basic?: {
      /** Hash algorithm: `{"algorithm":"bcrypt"}`. */
      hash?: { algorithm: string; [f: string]: unknown };
      /** Accounts with hashed passwords (base64 or plain bcrypt). */
      accounts?: Array<{ username: string; password: string }>;
      /** The realm. */
      realm?: string;
      /** Cache hashed comparisons. */
      hash_cache?: Record<string, never>;
    };
    [name: string]: unknown;
  };
}

/** `encode`: compresses responses. */
export interface EncodeHandler {
  handler: 'encode';
  /** Encodings keyed by name: gzip, zstd. */
  encodings?: { gzip?: { level?: number }; zstd?: { level?: string }; [name: string]: unknown };
  /** Preferred order. */
  prefer?: string[];
  /** Minimum body length to compress. */
  minimum_length?: number;
  /** Response matcher. */
  match?: { status_code?: number[]; headers?: Record<string, string[]> };
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
  status_code?: number | string;
  /** Pass to the next handler when a file is not found. */
  pass_thru?: boolean;
  /** Precompressed file encodings. */
  precompressed?: Record<string, unknown>;
  /** Precompressed preference order. */
  precompressed_order?: string[];
  /** Sidecar ETag file extensions. */
  etag_file_extensions?: string[];
}

