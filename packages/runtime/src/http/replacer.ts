/**
 * @module http/replacer: request placeholders ({http.request.*}, {http.error.*}, {http.vars.*}, ...),
 * with Caddy's values. A key a family always answers (a header, a query argument, a variable, a path
 * segment) gives "" when absent; undefined means unknown, which a respond body (ReplaceKnown) prints as
 * written and other strings (ReplaceAll) as "".
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { arch, hostname, platform } from 'node:os';
import type { Resolver } from '../util/template.js';
import {
  commonLogTime,
  goDuration,
  goFloat,
  goMilliseconds,
  goPathBase,
  goPathExt,
  goTimeString,
} from '../util/go-format.js';
import { statusText } from './errors.js';
import { readCookie } from './cookies.js';
import { escapedPath, parseQuery, queryEscape } from './go-url.js';
import { ipPrefix } from './ip-prefix.js';
import type { HttpRequest } from './request.js';
import { splitHostPort } from './request.js';
import type { ResponseWriter } from './response.js';
import { tlsPlaceholder } from './tls-placeholders.js';

const HOSTNAME = hostname();
const GOOS: Record<string, string> = { win32: 'windows' };
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };

/** A resolver for placeholders of this request (and response, when given). */
export function requestResolver(r: HttpRequest, w?: ResponseWriter): Resolver {
  if (r.lazy.size === 0) return (key) => resolve(r, w, key);
  return (key) => resolve(r, w, key) ?? r.lazy.get(key)?.();
}

function resolve(r: HttpRequest, w: ResponseWriter | undefined, key: string): string | undefined {
  const global = globalKey(key);
  if (global !== undefined) return global;
  const extra = r.extra.get(key);
  if (extra !== undefined) return extra;
  // Set by reverse_proxy for handle_response routes only (as Caddy's repl.Set): unset elsewhere, so header_down
  // leaves the placeholder as written.
  if (key.startsWith('http.reverse_proxy.header.'))
    return r.extra.get(`http.reverse_proxy.header.${key.slice(26).toLowerCase()}`);
  if (key.startsWith('http.intercept.header.'))
    return r.extra.get(`http.intercept.header.${key.slice(22).toLowerCase()}`) ?? '';
  if (key.startsWith('http.request.')) return requestKey(r, key.slice(13));
  if (key === 'http.error') return r.error?.describe();
  if (key.startsWith('http.error.')) return errorKey(r, key.slice(11));
  // Variables may be set on some requests only: an unset one is empty, never unknown.
  if (key.startsWith('http.vars.')) return stringify(r.vars.get(key.slice(10))) ?? '';
  if (key.startsWith('http.regexp.')) return r.captures.get(key.slice(12));
  if (key.startsWith('http.response.') && w) {
    const k = key.slice(14);
    // Not Caddy's (it sets this for access logs only): the status once written.
    if (k === 'status') return w.wroteHeader ? String(w.status) : undefined;
    if (k.startsWith('header.')) return w.header.values(k.slice(7)).join(',');
    return undefined;
  }
  return undefined;
}

/** Caddy's global placeholders (env.* is resolved when templates compile). */
export function globalKey(key: string): string | undefined {
  if (key.startsWith('time.now')) {
    switch (key) {
      // A Go time.Time (time.Now(), monotonic reading included) printed with its String method.
      case 'time.now':
        return goTimeString(performance.timeOrigin + performance.now(), performance.now() * 1e6);
      // Master has the HTTP-date form; 2.6.2 does not.
      case 'time.now.http':
        return new Date().toUTCString();
      case 'time.now.common_log':
        return commonLogTime(new Date());
      case 'time.now.year':
        return String(new Date().getFullYear());
      case 'time.now.unix':
        return String(Math.floor(Date.now() / 1000));
      case 'time.now.unix_ms':
        return String(Date.now());
    }
    return undefined;
  }
  if (key.startsWith('system.')) {
    switch (key) {
      case 'system.hostname':
        return HOSTNAME;
      case 'system.slash':
        return platform() === 'win32' ? '\\' : '/';
      case 'system.os':
        return GOOS[platform()] ?? platform();
      case 'system.arch':
        return GOARCH[arch()] ?? arch();
      case 'system.wd':
        try {
          return process.cwd();
        } catch {
          return '';
        }
    }
    return undefined;
  }
  if (key.startsWith('env.')) return process.env[key.slice(4)] ?? '';
  // Master reads a file's contents (at most 1 MiB, one trailing newline dropped); "" when unreadable.
  if (key.startsWith('file.')) return fileContents(key.slice(5));
  return undefined;
}

function fileContents(name: string): string {
  try {
    const buf = readFileSync(name);
    return buf
      .subarray(0, 1 << 20)
      .toString()
      .replace(/\n$/, '')
      .replace(/\r$/, '');
  } catch {
    return '';
  }
}

function errorKey(r: HttpRequest, k: string): string | undefined {
  const e = r.error;
  if (!e) return undefined;
  switch (k) {
    case 'status_code':
      return String(e.status);
    case 'status_text':
      return statusText(e.status);
    case 'message':
      return e.message;
    case 'id':
      return e.id;
    case 'trace':
      return e.trace;
    default:
      return undefined;
  }
}

function requestKey(r: HttpRequest, k: string): string | undefined {
  // Families that answer any name: a field or argument absent from this request is empty.
  if (k.startsWith('uri.query.')) {
    const name = k.slice(10);
    return parseQuery(r.query)
      .filter(([q]) => q === name)
      .map(([, v]) => v)
      .join(',');
  }
  if (k.startsWith('header.')) {
    const name = k.slice(7).toLowerCase();
    // Go moves these out of the header map (into Request.Host and Request.TransferEncoding).
    if (name === 'host' || name === 'transfer-encoding') return '';
    return r.headers.values(name).join(',');
  }
  if (k.startsWith('cookie.')) {
    // Unlike fields, an absent cookie is unknown (it falls through Caddy's lookup).
    const v = readCookie(r.headers.values('cookie'), k.slice(7));
    if (v !== undefined) return v;
  }
  if (k.startsWith('tls.')) return tlsPlaceholder(r.tls, k.slice(4));
  switch (k) {
    case 'method':
      return r.method;
    case 'scheme':
      return r.scheme;
    case 'proto':
      return r.proto;
    case 'host':
      return hostOf(r.hostport);
    case 'port':
      return portOf(r.hostport);
    case 'hostport':
      return r.hostport;
    case 'remote':
      return joinHostPort(r.conn.remoteAddress, r.conn.remotePort);
    case 'remote.host':
      return r.conn.remoteAddress;
    case 'remote.port':
      return String(r.conn.remotePort);
    // Master has the local address too.
    case 'local':
      return joinHostPort(r.conn.localAddress, r.conn.localPort);
    case 'local.host':
      return r.conn.localAddress;
    case 'local.port':
      return String(r.conn.localPort);
    case 'client_ip':
      return stringify(r.vars.get('client_ip')) ?? r.conn.remoteAddress;
    case 'uri':
      return requestURI(r);
    // Current Caddy's escaped and prefixed forms (url.QueryEscape, "?" only before a query); 2.6.2 lacks them.
    case 'uri_escaped':
      return queryEscape(requestURI(r));
    case 'uri.path_escaped':
      return queryEscape(r.path);
    case 'uri.query_escaped':
      return queryEscape(r.query);
    case 'uri.prefixed_query':
      return r.query === '' ? '' : `?${r.query}`;
    case 'orig_uri.prefixed_query': {
      const q = r.originalUri.indexOf('?');
      return q < 0 || q === r.originalUri.length - 1 ? '' : r.originalUri.slice(q);
    }
    case 'uri.path':
      return r.path;
    case 'uri.path.file':
      return fileOf(r.path);
    case 'uri.path.dir':
      return dirOf(r.path);
    case 'uri.path.file.base':
      return baseOf(r.path);
    case 'uri.path.file.ext':
      return goPathExt(r.path);
    case 'uri.query':
      return r.query;
    case 'duration':
      return goDuration((performance.now() - r.startMono) * 1e6);
    case 'duration_ms':
      return goMilliseconds((performance.now() - r.startMono) * 1e6);
    case 'uuid':
      return (r.uuid ??= randomUUID());
    case 'orig_method':
      return r.raw.method ?? '';
    case 'orig_uri':
      return r.originalUri;
    case 'orig_uri.path':
      return decodePath(pathOf(r.originalUri));
    case 'orig_uri.path.file':
      return fileOf(decodePath(pathOf(r.originalUri)));
    case 'orig_uri.path.dir':
      return dirOf(decodePath(pathOf(r.originalUri)));
    case 'orig_uri.query': {
      const q = r.originalUri.indexOf('?');
      return q < 0 ? '' : r.originalUri.slice(q + 1);
    }
  }
  if (k.startsWith('remote.host/')) return ipPrefix(r.conn.remoteAddress, k.slice(12));
  if (k.startsWith('host.labels.')) {
    const n = goAtoi(k.slice(12));
    if (n === undefined || n < 0) return undefined;
    const labels = hostOf(r.hostport).split('.');
    return n < labels.length ? labels[labels.length - 1 - n] : '';
  }
  if (k.startsWith('uri.path.')) {
    const n = goAtoi(k.slice(9));
    if (n === undefined || n < 0) return undefined;
    const segs = r.path.split('/');
    if (segs[0] === '') segs.shift();
    return segs[n] ?? '';
  }
  return undefined;
}

/** Go's strconv.Atoi for placeholder indexes, undefined when not a number. */
function goAtoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** Go's net.SplitHostPort host, or the whole value when it has no port. */
function hostOf(hostport: string): string {
  const [h, p] = splitHostPort(hostport);
  return p === '' && !/:\d*$/.test(hostport) ? hostport : h;
}

/** The port of the Host value, "" when it names none (Caddy does not fill in the scheme's default). */
function portOf(hostport: string): string {
  const [, p] = splitHostPort(hostport);
  return /^\d+$/.test(p) ? String(Number(p)) : p;
}

function fileOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
function dirOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/') + 1);
}
function baseOf(p: string): string {
  const b = goPathBase(p);
  const e = goPathExt(p);
  return e && b.endsWith(e) ? b.slice(0, -e.length) : b;
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function stringify(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return '';
  // JSON numbers are Go float64s, printed without an exponent.
  if (typeof v === 'number') return goFloat(v);
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function pathOf(uri: string): string {
  const q = uri.indexOf('?');
  return q < 0 ? uri : uri.slice(0, q);
}

/** "host:port" with brackets for IPv6. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's URL.RequestURI(): the path re-escaped where the raw form is not a valid encoding ('"' -> %22). */
function requestURI(r: HttpRequest): string {
  const q = r.uri.indexOf('?');
  return escapedPath(r.rawPath, r.path) + (q < 0 ? '' : r.uri.slice(q));
}
