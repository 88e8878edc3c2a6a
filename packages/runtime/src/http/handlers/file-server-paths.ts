/** @module http/handlers/file-server-paths: how file_server maps request paths to files and compares them with the original request. */
import * as nodePath from 'node:path';
import { cleanPath } from '../matchers/path.js';
import type { HttpRequest } from '../request.js';

/** Caddy's SanitizedPathJoin: the request path cleaned under root, keeping a trailing slash. */
export function sanitizedJoin(root: string, reqPath: string): string {
  const joined = nodePath.join(root, ...cleanPath(`/${reqPath}`).split('/'));
  return reqPath.endsWith('/') && reqPath.length > 1 && !joined.endsWith(nodePath.sep) ? joined + nodePath.sep : joined;
}

/** Go's path.Base. */
function baseOf(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (p === '') return '.';
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** The request path before any rewrite, percent-decoded (Go's URL.Path of the original request). */
export function originalPath(r: HttpRequest): string {
  const q = r.originalUri.indexOf('?');
  const raw = q < 0 ? r.originalUri : r.originalUri.slice(0, q);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** True when the last path element was not rewritten (Caddy only redirects then, to avoid redirect loops). */
export function sameBase(r: HttpRequest): boolean {
  return baseOf(originalPath(r)) === baseOf(r.path);
}
