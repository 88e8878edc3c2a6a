/** @module http/handlers/reverse-proxy/h2-sessions: HTTP/2 sessions to upstreams (h2 over TLS, or h2c), one per address. */
import http2 from 'node:http2';
import type { SecureContextOptions } from 'node:tls';
import type { UpstreamHost } from './upstream.js';

/** Options for TLS sessions; undefined means cleartext h2c. */
export interface H2TlsOptions extends SecureContextOptions {
  rejectUnauthorized: boolean;
  servername: string | undefined;
}

/** Keeps one live session per upstream address and replaces it when it closes. */
export class H2Sessions {
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();
  constructor(private readonly tls: H2TlsOptions | undefined) {}

  get(u: UpstreamHost): http2.ClientHttp2Session {
    const key = `${u.host}|${u.port}`;
    const cur = this.sessions.get(key);
    if (cur && !cur.closed && !cur.destroyed) return cur;
    const host = u.host.includes(':') ? `[${u.host}]` : u.host;
    const session = this.tls
      ? http2.connect(`https://${host}:${u.port}`, {
          ...this.tls,
          ...(this.tls.servername !== undefined ? { servername: this.tls.servername } : {}),
        })
      : http2.connect(`http://${host}:${u.port}`);
    session.on('error', () => {
      this.sessions.delete(key);
    });
    session.on('close', () => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    });
    session.on('goaway', () => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    });
    session.unref();
    this.sessions.set(key, session);
    return session;
  }

  close(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}
