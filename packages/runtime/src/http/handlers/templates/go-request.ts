/** @module http/handlers/templates/go-request: Go's *http.Request, url.URL, url.Values and http.Header as templates see them. */
import { GO_JSON, GO_TYPE } from '../../../util/go-template/values.js';
import { canonicalKey } from '../../canonical-key.js';
import { readCookie } from '../../cookies.js';
import type { Header } from '../../header.js';
import type { HttpRequest } from '../../request.js';

/** http.Header: a map of canonical names to values, with Get, Values and the setters. */
export class GoHeader extends Map<string, string[]> {
  /** The fields of `h`; a request's Host is not among them in Go (it is Request.Host). */
  static from(h: Header, request = false): GoHeader {
    const g = new GoHeader();
    for (const [name, values] of h.entries()) {
      const k = canonicalKey(name);
      if (request && k === 'Host') continue;
      g.set(k, [...(g.get(k) ?? []), ...values]);
    }
    return g;
  }
  Get(name: string): string {
    return this.get(canonicalKey(String(name)))?.[0] ?? '';
  }
  Values(name: string): string[] {
    return this.get(canonicalKey(String(name))) ?? [];
  }
}

/** url.Values: query arguments by name. */
export class GoValues extends Map<string, string[]> {
  static parse(query: string): GoValues {
    const v = new GoValues();
    for (const [k, x] of new URLSearchParams(query)) v.set(k, [...(v.get(k) ?? []), x]);
    return v;
  }
  Get(name: string): string {
    return this.get(String(name))?.[0] ?? '';
  }
  Has(name: string): boolean {
    return this.has(String(name));
  }
  Encode(): string {
    return [...this.keys()]
      .sort()
      .flatMap((k) => this.get(k)!.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`.replace(/%20/g, '+')))
      .join('&');
  }
}

/** url.URL of a server request: path and query (and for absolute-form targets, scheme and host). */
export class GoURL {
  readonly [GO_TYPE] = '*url.URL';
  readonly Scheme = '';
  readonly Opaque = '';
  readonly User = null;
  readonly Host = '';
  readonly Fragment = '';
  readonly RawFragment = '';
  readonly ForceQuery = false;
  readonly RawPath: string;
  constructor(
    readonly Path: string,
    rawPath: string,
    readonly RawQuery: string,
  ) {
    // Go keeps RawPath only when it differs from the default encoding of Path.
    this.RawPath = encodeURI(Path) === rawPath ? '' : rawPath;
  }
  EscapedPath(): string {
    return this.RawPath || encodeURI(this.Path);
  }
  Query(): GoValues {
    return GoValues.parse(this.RawQuery);
  }
  RequestURI(): string {
    return this.EscapedPath() + (this.RawQuery ? `?${this.RawQuery}` : '');
  }
  String(): string {
    return this.RequestURI();
  }
  Hostname(): string {
    return '';
  }
  Port(): string {
    return '';
  }
  IsAbs(): boolean {
    return false;
  }
}

/** *http.Request as seen by a handler. */
export class GoRequest {
  readonly [GO_TYPE] = '*http.Request';
  readonly [GO_JSON] = false;
  readonly Method: string;
  readonly URL: GoURL;
  readonly Proto: string;
  readonly ProtoMajor: number;
  readonly ProtoMinor: number;
  readonly Header: GoHeader;
  readonly Host: string;
  readonly RemoteAddr: string;
  readonly RequestURI: string;
  readonly ContentLength: number;
  readonly TLS: { ServerName: string } | null;
  constructor(r: HttpRequest, uri: string = r.uri, method: string = r.method) {
    this.Method = method;
    const q = uri.indexOf('?');
    const raw = q < 0 ? uri : uri.slice(0, q);
    let path = raw;
    try {
      path = decodeURIComponent(raw);
    } catch {
      /* keep it escaped */
    }
    this.URL = new GoURL(path, raw, q < 0 ? '' : uri.slice(q + 1));
    this.Proto = r.proto;
    this.ProtoMajor = r.proto === 'HTTP/2.0' ? 2 : 1;
    this.ProtoMinor = r.proto === 'HTTP/1.0' || r.proto === 'HTTP/2.0' ? 0 : 1;
    this.Header = GoHeader.from(r.headers, true);
    this.Host = r.hostport;
    const ip = r.conn.remoteAddress;
    this.RemoteAddr = `${ip.includes(':') ? `[${ip}]` : ip}:${r.conn.remotePort}`;
    this.RequestURI = r.originalUri;
    this.ContentLength = Number(r.headers.get('content-length') ?? 0) || 0;
    this.TLS = r.tls ? { ServerName: (r.tls as { servername?: string }).servername ?? '' } : null;
  }
  Cookie(name: string): GoCookie {
    const v = readCookie(this.Header.Values('Cookie'), String(name));
    if (v === undefined) throw new Error('http: named cookie not present');
    return new GoCookie(String(name), v);
  }
  UserAgent(): string {
    return this.Header.Get('User-Agent');
  }
  Referer(): string {
    return this.Header.Get('Referer');
  }
  FormValue(name: string): string {
    return this.URL.Query().Get(name);
  }
}

/** *http.Cookie as a request carries it. */
export class GoCookie {
  readonly [GO_TYPE] = '*http.Cookie';
  constructor(
    readonly Name: string,
    readonly Value: string,
  ) {}
  String(): string {
    return `${this.Name}=${this.Value}`;
  }
}
