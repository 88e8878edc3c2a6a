/** @module http/request: per-request state shared by matchers, handlers and placeholders. */
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { Transform, type Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { Header } from './header.js';
import type { HandlerError } from './errors.js';
import type { ConnectionInfo } from '../listener-wrapper.js';
import { bodyError } from './h1/front-door.js';
import { BodilessRequest } from './h1/bodiless-request.js';

/** The node request object (HTTP/1.1 or the HTTP/2 compatibility API), or the HTTP/1 engine's bodiless request. */
export type NodeRequest = IncomingMessage | Http2ServerRequest | BodilessRequest;

/** A request as handlers see it; rewrite and header handlers change it in place. */
export class HttpRequest {
  /** The method (rewrite may change it). */
  method: string;
  /** The request target as sent (path and query, escaped). */
  uri: string;
  /** The request URI before any rewrite. */
  readonly originalUri: string;
  /** Request header fields. */
  headers: Header;
  /** "http" or "https". */
  readonly scheme: 'http' | 'https';
  /** "HTTP/1.1" or "HTTP/2.0". */
  readonly proto: string;
  /** Host from the Host header or :authority, with the port. */
  hostport: string;
  private bodyStream: Readable | undefined;
  /** Wrappers (request_body limits) waiting for the first read of the body. */
  private bodyWraps: Array<(b: Readable) => Readable> | undefined;
  /** Request body bytes read so far (through `body`). */
  bodyBytes = 0;
  // The per-request maps below are made on first use: most requests touch few or none of them.
  /** Variables set by `vars` and matchers. */
  get vars(): Map<string, unknown> {
    return (this._vars ??= new Map<string, unknown>());
  }
  private _vars: Map<string, unknown> | undefined;
  /** The route groups already satisfied by a matching route. */
  get groups(): Set<string> {
    return (this._groups ??= new Set<string>());
  }
  private _groups: Set<string> | undefined;
  /** The error being handled, in error routes. */
  error: HandlerError | undefined;
  /** Set by the matchers that have capture groups ({http.regexp.NAME.N}). */
  get captures(): Map<string, string> {
    return (this._captures ??= new Map<string, string>());
  }
  private _captures: Map<string, string> | undefined;
  /** Placeholder values set by handlers (reverse_proxy, ...), keyed by full placeholder name. */
  get extra(): Map<string, string> {
    return (this._extra ??= new Map<string, string>());
  }
  private _extra: Map<string, string> | undefined;
  /**
   * Placeholders computed when read (map destinations), consulted after every other source, as the
   * providers Caddy's map handler adds to the replacer are; the first handler to claim a name keeps it.
   */
  get lazy(): Map<string, () => string> {
    return (this._lazy ??= new Map<string, () => string>());
  }
  private _lazy: Map<string, () => string> | undefined;
  /** Set for HTTP/1.1 Upgrade requests: the client connection and bytes read past the request head. */
  upgrade: { socket: import('node:stream').Duplex; head: Buffer } | undefined;
  /** Extra access-log fields (log_append). */
  get logFields(): Map<string, string> {
    return (this._logFields ??= new Map<string, string>());
  }
  private _logFields: Map<string, string> | undefined;
  /** The server's named routes (for invoke). */
  namedRoutes:
    | ReadonlyMap<
        string,
        {
          serve(
            r: HttpRequest,
            w: import('./response.js').ResponseWriter,
            next: (r: HttpRequest, w: import('./response.js').ResponseWriter) => Promise<void> | void,
          ): Promise<void> | void;
        }
      >
    | undefined;
  /** The time the request started (ms since epoch). */
  readonly start = Date.now();
  /** The time the request started on the monotonic clock (performance.now(), ms), for durations. */
  readonly startMono = performance.now();
  /** The request's UUID ({http.request.uuid}), made on first use. */
  uuid: string | undefined;

  constructor(
    readonly raw: NodeRequest,
    readonly conn: ConnectionInfo,
    readonly tls: TLSSocket | undefined,
  ) {
    this.method = raw.method ?? 'GET';
    const target = raw.url ?? '/';
    this.headers = Header.fromRaw(raw.rawHeaders, raw.httpVersionMajor === 2);
    this.scheme = tls ? 'https' : 'http';
    this.proto = raw.httpVersionMajor === 2 ? 'HTTP/2.0' : `HTTP/${raw.httpVersion}`;
    const authority =
      raw.httpVersionMajor === 2
        ? (raw.headers as Record<string, string | string[] | undefined>)[':authority']
        : undefined;
    // The Host field from the fields already read (node's `headers` object is built on first use: not here).
    this.hostport = (typeof authority === 'string' ? authority : this.headers.get('host')) ?? '';
    // Like Go's readRequest: the host of an absolute-form target (or a CONNECT authority) wins over the
    // Host header, and the URI handlers see is the target's path and query.
    const abs =
      target.charCodeAt(0) === 47 /* / */ || target === '*'
        ? undefined
        : absoluteTarget(target, this.method === 'CONNECT');
    if (abs) {
      if (abs.host !== '') this.hostport = abs.host;
      this.uri = abs.uri;
    } else {
      this.uri = target;
    }
    this.originalUri = this.uri;
  }

  /**
   * The request body (request_body may replace it). Reading goes through a counter, created on first
   * use so that a request nobody reads is never put into flowing mode.
   */
  get body(): Readable {
    if (!this.bodyStream) {
      const raw = this.raw instanceof BodilessRequest ? this.raw.bodyStream() : (this.raw as Readable);
      const counter = new Transform({
        transform: (c: Buffer, _e, cb) => {
          this.bodyBytes += c.length;
          cb(null, c);
        },
      });
      // A client that goes away mid-body errors the counter; its reader (if any) handles that through its own
      // listener, and without one an 'error' event would end the process.
      counter.on('error', () => {});
      raw.on('error', (e) => counter.destroy(e));
      let b: Readable = raw.pipe(counter);
      // The front door found the body malformed before anyone read it.
      const failed = bodyError(raw);
      if (failed) counter.destroy(failed);
      // A client that left before a handler got here emitted nothing (node's request emits 'error' only to
      // listeners there were then): without this the reader would wait for the rest of the body forever.
      else if (raw.readableAborted || (raw.destroyed && !raw.readableEnded))
        counter.destroy(new Error('the client closed the connection before the request body ended'));
      for (const wrap of this.bodyWraps?.splice(0) ?? []) b = wrap(b);
      this.bodyStream = b;
    }
    return this.bodyStream;
  }

  set body(b: Readable) {
    this.bodyStream = b;
    this.bodyWraps = undefined;
  }

  /**
   * Wraps the body in `wrap`: at once when it is already being read or was replaced, else on its first read,
   * so that a body no handler reads is never consumed (Go's handlers wrap r.Body the same lazy way).
   */
  wrapBody(wrap: (b: Readable) => Readable): void {
    if (this.bodyStream) this.bodyStream = wrap(this.bodyStream);
    else (this.bodyWraps ??= []).push(wrap);
  }

  /** The host without the port, in the case the client sent ({host}, as in Caddy). */
  get host(): string {
    return splitHostPort(this.hostport)[0];
  }

  /** The host without the port, lower-cased (for matching, which ignores case). */
  get hostLower(): string {
    return this.host.toLowerCase();
  }

  /** The path, percent-decoded (Go's URL.Path). */
  get path(): string {
    const raw = this.rawPath;
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }

  /** The path as sent (escaped). */
  get rawPath(): string {
    const q = this.uri.indexOf('?');
    return q < 0 ? this.uri : this.uri.slice(0, q);
  }

  /** The query string without "?". */
  get query(): string {
    const q = this.uri.indexOf('?');
    return q < 0 ? '' : this.uri.slice(q + 1);
  }

  /** Parsed query arguments. */
  get queryParams(): URLSearchParams {
    return new URLSearchParams(this.query);
  }

  /** Replaces path and/or query. */
  setPathAndQuery(path: string, query: string | undefined): void {
    this.uri = path + (query ? `?${query}` : '');
  }
}

/**
 * The host and the URI (path and query, "/" when empty) of an absolute-form request target, as Go's
 * url.ParseRequestURI and URL.RequestURI give them; for CONNECT, the authority alone.
 */
export function absoluteTarget(target: string, connect: boolean): { host: string; uri: string } | undefined {
  if (connect) return { host: target, uri: '/' };
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?]*)(.*)$/s.exec(target);
  if (!m) return undefined;
  const authority = m[1]!;
  const rest = m[2]!;
  return { host: authority.slice(authority.lastIndexOf('@') + 1), uri: rest.startsWith('/') ? rest : `/${rest}` };
}

/** Splits "host:port", "[::1]:443", "host" into host and port ("" when absent). */
export function splitHostPort(hp: string): [string, string] {
  if (hp.startsWith('[')) {
    const end = hp.indexOf(']');
    if (end > 0) return [hp.slice(1, end), hp[end + 1] === ':' ? hp.slice(end + 2) : ''];
  }
  const i = hp.lastIndexOf(':');
  if (i >= 0 && hp.indexOf(':') === i) return [hp.slice(0, i), hp.slice(i + 1)];
  return [hp, ''];
}
