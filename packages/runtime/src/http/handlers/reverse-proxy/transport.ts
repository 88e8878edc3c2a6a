/** @module http/handlers/reverse-proxy/transport: the `http` transport: HTTP/1.1 to upstreams, optionally over TLS. */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { durationOr, type HttpTransport } from '@proxy/contract';
import { ConfigError, joinPath } from '../../../util/errors.js';
import type { UpstreamHost } from './upstream.js';
import { H2Sessions } from './h2-sessions.js';

/** Options for one upstream request. */
export interface RoundTripOptions {
  method: string;
  path: string;
  headers: http.OutgoingHttpHeaders;
}

/** A compiled transport. */
export class HttpTransportImpl {
  private readonly agent: http.Agent;
  readonly tls: boolean;
  private readonly exceptPorts: Set<number>;
  readonly dialTimeoutMs: number;
  readonly responseHeaderTimeoutMs: number;
  private readonly servername: string | undefined;
  /** Go's DisableCompression negated: the transport asks for gzip and decodes it (on unless `compression: false`). */
  readonly compression: boolean;
  /** Set when `versions` asks for HTTP/2 only ("2" over TLS, "h2c" in cleartext): requests go over these sessions. */
  readonly h2: H2Sessions | undefined;

  constructor(cfg: HttpTransport | undefined, path: string) {
    const c = cfg ?? { protocol: 'http' };
    if (c.protocol !== 'http')
      throw ConfigError.at(joinPath(path, 'protocol'), `transport "${c.protocol}" is not supported yet`);
    this.tls = c.tls !== undefined;
    this.exceptPorts = new Set((c.tls?.except_ports ?? []).map(Number));
    this.dialTimeoutMs = durationOr(c.dial_timeout, 3000);
    this.responseHeaderTimeoutMs = durationOr(c.response_header_timeout, 0);
    this.servername = c.tls?.server_name;
    this.compression = c.compression !== false;
    const keepAlive = c.keep_alive?.enabled !== false;
    const common = {
      keepAlive,
      keepAliveMsecs: durationOr(c.keep_alive?.probe_interval, 30_000),
      maxFreeSockets: c.keep_alive?.max_idle_conns_per_host ?? 32,
      maxSockets: c.max_conns_per_host && c.max_conns_per_host > 0 ? c.max_conns_per_host : Infinity,
      timeout: durationOr(c.keep_alive?.idle_timeout, 120_000),
    };
    if (this.tls) {
      const t = c.tls!;
      const ca: string[] = [];
      for (const [i, f] of (t.root_ca_pem_files ?? []).entries()) {
        try {
          ca.push(readFileSync(f, 'utf8'));
        } catch (e) {
          throw ConfigError.at(
            joinPath(joinPath(joinPath(path, 'tls'), 'root_ca_pem_files'), i),
            `cannot read ${f}: ${(e as Error).message}`,
          );
        }
      }
      for (const b64 of t.root_ca_pool ?? []) ca.push(derToPem(b64));
      let cert: string | undefined;
      let key: string | undefined;
      if (t.client_certificate_file) {
        try {
          cert = readFileSync(t.client_certificate_file, 'utf8');
          key = readFileSync(t.client_certificate_key_file ?? '', 'utf8');
        } catch (e) {
          throw ConfigError.at(joinPath(joinPath(path, 'tls'), 'client_certificate_file'), (e as Error).message);
        }
      }
      const tlsOpts = {
        rejectUnauthorized: t.insecure_skip_verify !== true,
        ...(ca.length ? { ca } : {}),
        ...(cert ? { cert, key } : {}),
      };
      this.agent = new https.Agent({ ...common, ...tlsOpts, ALPNProtocols: ['http/1.1'] });
      this.h2 = this.wantsH2Only(c, path) ? new H2Sessions({ ...tlsOpts, servername: this.servername }) : undefined;
    } else {
      this.agent = new http.Agent(common);
      this.h2 = this.wantsH2Only(c, path) ? new H2Sessions(undefined) : undefined;
    }
  }

  /** HTTP/1.1 is used whenever allowed (the default); HTTP/2 only when the versions leave no other choice. */
  private wantsH2Only(c: HttpTransport, path: string): boolean {
    const v = c.versions;
    if (!v || v.length === 0 || v.includes('1.1')) return false;
    if (v.includes('3')) throw ConfigError.at(joinPath(path, 'versions'), 'HTTP/3 to upstreams is not supported yet');
    if (this.tls && !v.includes('2'))
      throw ConfigError.at(joinPath(path, 'versions'), 'h2c needs a cleartext transport');
    if (!this.tls && !v.includes('h2c'))
      throw ConfigError.at(joinPath(path, 'versions'), 'HTTP/2 without TLS needs "h2c" in versions');
    return true;
  }

  /** Starts a request to the upstream. */
  request(u: UpstreamHost, o: RoundTripOptions): http.ClientRequest {
    const useTls = this.tls && !this.exceptPorts.has(u.port);
    const mod = useTls ? https : http;
    const opts: https.RequestOptions = {
      host: u.host,
      port: u.port,
      method: o.method,
      path: o.path,
      headers: o.headers,
      agent: useTls ? this.agent : this.tls ? undefined : this.agent,
      setHost: false,
    };
    if (useTls) opts.servername = this.servername ?? (isIp(u.host) ? '' : u.host);
    return mod.request(opts);
  }

  close(): void {
    this.agent.destroy();
    this.h2?.close();
  }
}

function isIp(h: string): boolean {
  return /^[\d.]+$/.test(h) || h.includes(':');
}

function derToPem(b64: string): string {
  const lines = b64.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
