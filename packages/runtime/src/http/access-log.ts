/** @module http/access-log: Caddy-shaped access log entries ("handled request"). */
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { ServerLogConfig } from '@proxy/contract';
import { canonicalKey } from './canonical-key.js';
import type { HttpRequest } from './request.js';
import type { ResponseWriter } from './response.js';

const REDACT = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

function headersObject(
  entries: Iterable<[string, string[]]>,
  redact: boolean,
  skipHost = false,
): Record<string, string[]> {
  const o: Record<string, string[]> = {};
  for (const [k, v] of entries) {
    const lower = k.toLowerCase();
    // Go moves Host out of the request's fields (into Request.Host, logged as request.host).
    if (skipHost && lower === 'host') continue;
    o[canonicalKey(k)] = redact && REDACT.has(lower) ? ['REDACTED'] : v;
  }
  return o;
}

/** TLS versions as Go's uint16 constants (tls.VersionTLS13 = 0x0304), which Caddy logs as numbers. */
const VERSION_IDS: Record<string, number> = { TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };

/** IANA cipher suite values by their IANA names (node's standardName), as Caddy logs them. */
const SUITE_IDS: Record<string, number> = {
  TLS_AES_128_GCM_SHA256: 0x1301,
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8,
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 0xc009,
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 0xc00a,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 0xc013,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 0xc014,
  TLS_RSA_WITH_AES_128_GCM_SHA256: 0x009c,
  TLS_RSA_WITH_AES_256_GCM_SHA384: 0x009d,
  TLS_RSA_WITH_AES_128_CBC_SHA: 0x002f,
  TLS_RSA_WITH_AES_256_CBC_SHA: 0x0035,
};

/** Caddy's LoggableTLSConnState: the same keys, in its order, with versions and suites as numbers. */
function tlsFields(t: TLSSocket): Record<string, unknown> {
  const o: Record<string, unknown> = {
    resumed: t.isSessionReused(),
    version: VERSION_IDS[t.getProtocol() ?? ''] ?? 0,
    cipher_suite: SUITE_IDS[t.getCipher()?.standardName ?? ''] ?? 0,
    proto: t.alpnProtocol || '',
    server_name: (t as { servername?: string | false }).servername || '',
  };
  const peer = t.getPeerCertificate();
  if (peer && Object.keys(peer).length > 0) {
    const cn = peer.subject?.CN;
    o['client_common_name'] = Array.isArray(cn) ? (cn[0] ?? '') : (cn ?? '');
    // Go prints the serial as a decimal big integer.
    o['client_serial'] = peer.serialNumber ? BigInt(`0x${peer.serialNumber}`).toString() : '';
  }
  return o;
}

/** Writes access logs for one server. */
export class AccessLogger {
  private readonly skip: Set<string>;
  constructor(
    private readonly base: Logger,
    private readonly cfg: ServerLogConfig,
  ) {
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
    // `log_skip` (vars {"log_skip": true}): Caddy's server skips the access log of such a request.
    if (r.vars.get('log_skip') === true) return;
    const lg = this.loggerFor(r.hostLower);
    if (!lg) return;
    const redact = this.cfg.should_log_credentials !== true;
    // The message first, as zap writes it right after the logger name.
    const entry = {
      msg: 'handled request',
      request: {
        remote_ip: r.conn.remoteAddress,
        remote_port: String(r.conn.remotePort),
        client_ip: String(r.vars.get('client_ip') ?? r.conn.remoteAddress),
        proto: r.proto,
        method: r.raw.method,
        host: r.hostport,
        uri: r.originalUri,
        headers: headersObject(r.headers.entries(), redact, true),
        ...(r.tls ? { tls: tlsFields(r.tls) } : {}),
      },
      bytes_read: bytesRead,
      user_id: r.extra.get('http.auth.user.id') ?? '',
      // Monotonic and sub-millisecond, like the Go duration Caddy logs in seconds.
      duration: Math.round((performance.now() - r.startMono) * 1e6) / 1e9,
      size: w.bytesWritten,
      status: w.status,
      resp_headers: headersObject(w.header.entries(), redact),
      ...Object.fromEntries(r.logFields),
    };
    if (w.status >= 500) lg.error(entry);
    else lg.info(entry);
  }
}
