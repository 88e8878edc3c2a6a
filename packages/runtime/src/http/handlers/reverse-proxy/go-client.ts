/**
 * @module http/handlers/reverse-proxy/go-client: what Go's HTTP client adds to and strips from a proxied exchange,
 * which Caddy's upstreams and clients see: the default User-Agent and transparent gzip (DisableCompression false).
 */
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Header } from '../../header.js';

/**
 * Go's transport sends its own User-Agent when the request has none at all, none when the field is present but
 * empty, and otherwise only the first value. Returns the value to send, or undefined for none.
 */
export function goUserAgent(h: Header, proto: '1.1' | '2.0'): string | undefined {
  if (!h.has('user-agent')) return `Go-http-client/${proto}`;
  return h.get('user-agent') || undefined;
}

/**
 * Whether Go's transport asks for gzip itself: compression on, and the request names no Accept-Encoding or Range
 * and is not HEAD. The transport then sends `Accept-Encoding: gzip` and decodes a gzip answer (gunzipIfAsked).
 */
export function goWantsGzip(compression: boolean, h: Header, method: string): boolean {
  return compression && !h.get('accept-encoding') && !h.get('range') && method !== 'HEAD';
}

/**
 * For a request where the transport asked for gzip: a gzip-encoded response with a body loses Content-Encoding
 * and Content-Length and its body is decoded, as Go's client does (Response.Uncompressed).
 */
export function gunzipIfAsked(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Readable,
): Readable {
  const ce = headers['content-encoding'];
  const first = Array.isArray(ce) ? ce[0] : ce;
  if (first?.toLowerCase() !== 'gzip') return body;
  // Go decodes only a response that has a body.
  if (status < 200 || status === 204 || status === 304 || String(headers['content-length']).trim() === '0') return body;
  delete headers['content-encoding'];
  delete headers['content-length'];
  const gunzip = createGunzip();
  // A broken gzip stream surfaces to whoever reads the body; with no reader it must not go unhandled.
  pipeline(body, gunzip, () => {});
  return gunzip;
}
