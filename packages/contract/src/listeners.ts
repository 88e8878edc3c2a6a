/** @module listeners: listener wrapper modules (`caddy.listeners.*`) of an http server's `listener_wrappers`. */
import type { Duration } from './core.js';
import type { Layer4ListenerWrapperConfig } from './layer4.js';
import { s, type Own } from './schema.js';

/** `http_redirect`: answers plain HTTP on a TLS port with a redirect to HTTPS. */
export interface HttpRedirectListener {
  wrapper: 'http_redirect';
  /** Largest request head read before giving up. */
  max_header_bytes?: number;
}

/** `proxy_protocol`: reads a PROXY protocol v1/v2 header from allowed sources. */
export interface ProxyProtocolListener {
  wrapper: 'proxy_protocol';
  /** How long to wait for the header. */
  timeout?: Duration;
  /** Source ranges whose header is used. */
  allow?: string[];
  /** Source ranges whose header is refused. */
  deny?: string[];
  /** What to do with other sources: ignore, use, reject, require, skip. */
  fallback_policy?: string;
}

/** `tls`: where TLS is terminated in the chain (no fields). */
export interface TlsListener {
  wrapper: 'tls';
}

/** A listener wrapper the adapter emits. */
export type AdaptedListenerWrapper =
  | TlsListener
  | HttpRedirectListener
  | ProxyProtocolListener
  | Layer4ListenerWrapperConfig;

export const httpRedirectSchema = s.obj<Own<HttpRedirectListener, 'wrapper'>>({ max_header_bytes: s.int });

export const proxyProtocolSchema = s.obj<Own<ProxyProtocolListener, 'wrapper'>>({
  timeout: s.dur,
  allow: s.strs,
  deny: s.strs,
  fallback_policy: s.str,
});

export const tlsListenerSchema = s.obj<Own<TlsListener, 'wrapper'>>({});
