/** @module http/handler: the handler and matcher contracts of the http app. */
import type { Lifecycle } from '../modules.js';
import type { HttpRequest } from './request.js';
import type { ResponseWriter } from './response.js';

/** Calls the rest of the chain: a promise when some handler on it answers asynchronously. */
export type Next = (r: HttpRequest, w: ResponseWriter) => Promise<void> | void;

/** An HTTP handler module (`http.handlers.*`), a middleware like Caddy's MiddlewareHandler. */
export interface Handler extends Lifecycle {
  serve(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> | void;
}

/** A request matcher module (`http.matchers.*`). */
export interface RequestMatcher extends Lifecycle {
  match(r: HttpRequest): boolean;
}

/** The end of a chain: does nothing, so an untouched response goes out as an empty 200. */
export const emptyNext: Next = () => {};
