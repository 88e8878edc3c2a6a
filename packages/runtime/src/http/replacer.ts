/** @module http/replacer: request placeholders ({http.request.*}, {http.error.*}, {http.vars.*}, ...). */
import { hostname } from 'node:os';
import { STATUS_CODES } from 'node:http';
import type { Resolver } from '../util/template.js';
import type { HttpRequest } from './request.js';
import type { ResponseWriter } from './response.js';

const HOSTNAME = hostname();

/** A resolver for placeholders of this request (and response, when given). */
export function requestResolver(r: HttpRequest, w?: ResponseWriter): Resolver {
  return (key) => resolve(r, w, key);
}

function resolve(r: HttpRequest, w: ResponseWriter | undefined, key: string): string | undefined {
  const extra = r.extra.get(key);
  if (extra !== undefined) return extra;
  if (key.startsWith('http.reverse_proxy.header.')) return r.extra.get(`http.reverse_proxy.header.${key.slice(26).toLowerCase()}`) ?? '';
  if (key.startsWith('http.intercept.header.')) return r.extra.get(`http.intercept.header.${key.slice(22).toLowerCase()}`) ?? '';
  if (key.startsWith('http.request.')) return requestKey(r, key.slice(13));
  if (key.startsWith('http.error.')) {
    const e = r.error;
    if (!e) return undefined;
    switch (key.slice(11)) {
      case 'status_code': return String(e.status);
      case 'status_text': return STATUS_CODES[e.status] ?? '';
      case 'message': return e.message;
      case 'id': return e.id;
      default: return undefined;
    }
  }
  if (key.startsWith('http.vars.')) return stringify(r.vars.get(key.slice(10)));
  if (key.startsWith('http.regexp.')) return r.captures.get(key.slice(12));
  if (key.startsWith('http.response.') && w) {
    const k = key.slice(14);
    if (k === 'status') return String(w.status);
    if (k.startsWith('header.')) return w.header.values(k.slice(7)).join(',');
    return undefined;
  }
  switch (key) {
    case 'system.hostname': return HOSTNAME;
    case 'time.now': return new Date().toISOString();
    case 'time.now.unix': return String(Math.floor(Date.now() / 1000));
    case 'time.now.unix_ms': return String(Date.now());
    case 'time.now.http': return new Date().toUTCString();
    case 'time.now.common_log': return commonLogTime(new Date());
  }
  return undefined;
}

function requestKey(r: HttpRequest, k: string): string | undefined {
  switch (k) {
    case 'host': return r.host;
    case 'hostport': return r.hostport;
    case 'port': { const i = r.hostport.lastIndexOf(':'); return i >= 0 && !r.hostport.endsWith(']') ? r.hostport.slice(i + 1) : (r.scheme === 'https' ? '443' : '80'); }
    case 'method': return r.method;
    case 'scheme': return r.scheme;
    case 'proto': return r.proto;
    case 'uri': return r.uri;
    case 'orig_uri': return r.originalUri;
    case 'orig_uri.path': return pathOf(r.originalUri);
    case 'orig_method': return r.raw.method ?? '';
    case 'uri.path': return r.path;
    case 'uri.query': return r.query;
    case 'uri.path.file': { const p = r.path; return p.slice(p.lastIndexOf('/') + 1); }
    case 'uri.path.dir': { const p = r.path; return p.slice(0, p.lastIndexOf('/') + 1); }
    case 'uri.path.file.base': { const f = r.path.slice(r.path.lastIndexOf('/') + 1); const d = f.lastIndexOf('.'); return d > 0 ? f.slice(0, d) : f; }
    case 'uri.path.file.ext': { const f = r.path.slice(r.path.lastIndexOf('/') + 1); const d = f.lastIndexOf('.'); return d >= 0 ? f.slice(d) : ''; }
    case 'remote': return joinHostPort(r.conn.remoteAddress, r.conn.remotePort);
    case 'remote.host': return r.conn.remoteAddress;
    case 'remote.port': return String(r.conn.remotePort);
    case 'local': return joinHostPort(r.conn.localAddress, r.conn.localPort);
    case 'local.host': return r.conn.localAddress;
    case 'local.port': return String(r.conn.localPort);
    case 'client_ip': return stringify(r.vars.get('client_ip')) ?? r.conn.remoteAddress;
    case 'duration': return `${(Date.now() - r.start) / 1000}s`;
    case 'duration_ms': return String(Date.now() - r.start);
    case 'tls.server_name': return r.tls ? (r.tls as { servername?: string | false }).servername || '' : undefined;
    case 'tls.version': return r.tls?.getProtocol() ?? undefined;
    case 'tls.cipher_suite': return r.tls?.getCipher()?.standardName;
    case 'tls.proto': return r.tls ? (r.tls.alpnProtocol || '') : undefined;
    case 'tls.resumed': return r.tls ? String(r.tls.isSessionReused()) : undefined;
    case 'tls.client.subject': return r.tls ? subjectOf(r.tls.getPeerCertificate()?.subject) : undefined;
    case 'tls.client.fingerprint': return r.tls?.getPeerCertificate()?.fingerprint256?.replace(/:/g, '').toLowerCase();
    case 'tls.client.serial': return r.tls?.getPeerCertificate()?.serialNumber;
  }
  if (k.startsWith('header.')) { const v = r.headers.values(k.slice(7)); return v.length ? v.join(',') : ''; }
  if (k.startsWith('uri.query.')) return r.queryParams.get(k.slice(10)) ?? '';
  if (k.startsWith('cookie.')) return cookie(r.headers.values('cookie'), k.slice(7));
  if (k.startsWith('uri.path.')) {
    const n = Number(k.slice(9));
    if (!Number.isInteger(n)) return undefined;
    const segs = r.path.split('/').filter((x) => x !== '');
    return segs[n] ?? '';
  }
  if (k.startsWith('host.labels.')) {
    const n = Number(k.slice(12));
    if (!Number.isInteger(n)) return undefined;
    const labels = r.host.split('.').reverse();
    return labels[n] ?? '';
  }
  return undefined;
}

function stringify(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v === null) return '';
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

function cookie(headers: string[], name: string): string {
  for (const h of headers) {
    for (const part of h.split(';')) {
      const i = part.indexOf('=');
      if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
    }
  }
  return '';
}

function subjectOf(s: Record<string, unknown> | undefined): string {
  if (!s) return '';
  return Object.entries(s).map(([k, v]) => `${k}=${String(v)}`).join(',');
}

function commonLogTime(d: Date): string {
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
