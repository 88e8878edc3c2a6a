/** @module http/access-log: Caddy-shaped access log entries ("handled request"). */
import type { Logger } from 'pino';
import type { ServerLogConfig } from '../config/http.js';
import type { HttpRequest } from './request.js';
import type { ResponseWriter } from './response.js';

const REDACT = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Go's canonical header key ("x-forwarded-for" -> "X-Forwarded-For"), as Caddy's logs show them. */
export function canonicalKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function headersObject(entries: Iterable<[string, string[]]>, redact: boolean): Record<string, string[]> {
  const o: Record<string, string[]> = {};
  for (const [k, v] of entries) o[canonicalKey(k)] = redact && REDACT.has(k.toLowerCase()) ? ['REDACTED'] : v;
  return o;
}

/** Writes access logs for one server. */
export class AccessLogger {
  private readonly skip: Set<string>;
  constructor(private readonly base: Logger, private readonly cfg: ServerLogConfig) {
    this.skip = new Set((cfg.skip_hosts ?? []).map((h) => h.toLowerCase()));
  }

  private loggerFor(host: string): Logger | undefined {
    if (this.skip.has(host)) return undefined;
    const names = this.cfg.logger_names?.[host];
    if (names === undefined && this.cfg.skip_unmapped_hosts) return undefined;
    const name = Array.isArray(names) ? names[0] : names;
    const n = name ?? this.cfg.default_logger_name;
    return this.base.child({ logger: n ? `http.log.access.${n}` : 'http.log.access' });
  }

  log(r: HttpRequest, w: ResponseWriter, bytesRead: number): void {
    const lg = this.loggerFor(r.hostLower);
    if (!lg) return;
    const redact = this.cfg.should_log_credentials !== true;
    const entry = {
      request: {
        remote_ip: r.conn.remoteAddress,
        remote_port: String(r.conn.remotePort),
        client_ip: String(r.vars.get('client_ip') ?? r.conn.remoteAddress),
        proto: r.proto,
        method: r.raw.method,
        host: r.hostport,
        uri: r.originalUri,
        headers: headersObject(r.headers.entries(), redact),
        ...(r.tls ? { tls: { resumed: r.tls.isSessionReused(), version: r.tls.getProtocol(), cipher_suite: r.tls.getCipher()?.standardName, proto: r.tls.alpnProtocol || '', server_name: (r.tls as { servername?: string | false }).servername || '' } } : {}),
      },
      bytes_read: bytesRead,
      user_id: r.extra.get('http.auth.user.id') ?? '',
      duration: (Date.now() - r.start) / 1000,
      size: w.bytesWritten,
      status: w.status,
      resp_headers: headersObject(w.header.entries(), redact),
      ...Object.fromEntries(r.logFields),
    };
    if (w.status >= 500) lg.error(entry, 'handled request');
    else lg.info(entry, 'handled request');
  }
}
