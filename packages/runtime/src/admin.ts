/** @module admin: the admin API (GET /config/, POST /load, POST /stop, GET /pki/ca/<id>), loopback only. */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { AdminConfig } from '@proxy/contract';
import { parseNetworkAddress } from './listen/address.js';
import { ConfigError, formatValidationError } from './util/errors.js';
import { editAt, getAt, PathError } from './admin-paths.js';
import { countAdminRequest } from './metrics/admin.js';
import { MetricsHub } from './metrics/hub.js';
import type { Registry } from 'prom-client';

/** What the admin API controls. */
export interface AdminTarget {
  currentConfig(): unknown;
  reload(json: unknown): Promise<void>;
  stop(): Promise<void>;
  /** The running config's metrics registry, for GET /metrics. */
  currentMetrics?(): Registry | undefined;
  /** The PEM root certificate of a `pki` CA (GET /pki/ca/<id>, which `proxy trust` reads). */
  rootCertificate?(ca: string): Promise<string>;
}

const MAX_BODY = 16 << 20;

/** Whether a host name or IP literal is loopback ("127.evil.example" is not: only real IP literals count). */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

/** A running admin endpoint. */
export class AdminServer {
  private server: http.Server | undefined;
  private origins: Set<string> | undefined;
  constructor(
    private readonly target: AdminTarget,
    private readonly logOf: () => Logger,
    private readonly adapters: Record<string, (text: string) => unknown> = {},
    private readonly metrics: MetricsHub = new MetricsHub(),
  ) {}

  private get log(): Logger {
    return this.logOf();
  }

  /** The bound address. */
  get address(): AddressInfo | undefined {
    return this.server?.address() as AddressInfo | undefined;
  }

  async start(cfg: AdminConfig | undefined): Promise<void> {
    if (cfg?.disabled) return;
    this.origins = cfg?.origins?.length
      ? new Set(
          cfg.origins.map((o) => {
            try {
              return new URL(o.includes('://') ? o : `http://${o}`).hostname;
            } catch {
              return o;
            }
          }),
        )
      : undefined;
    // Current Caddy's CADDY_ADMIN (not in 2.6.2) replaces the default address.
    const listen = cfg?.listen ?? (process.env['CADDY_ADMIN'] || 'localhost:2019');
    const a = parseNetworkAddress(listen, 'admin.listen');
    if (!isLoopback(a.host))
      throw ConfigError.at('admin.listen', `the admin endpoint must listen on a loopback address (got "${listen}")`);
    const server = http.createServer((req, res) => {
      countAdminRequest(this.metrics, req, res);
      this.handle(req, res).catch((e: unknown) => {
        this.log.error({ error: String(e) }, 'admin request failed');
        res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(ConfigError.at('admin.listen', `cannot listen on ${listen}: ${e.message}`)));
      server.listen({ host: a.host === 'localhost' ? '127.0.0.1' : a.host, port: a.startPort }, () => resolve());
    });
    this.server = server;
    this.log.info({ address: listen }, 'admin endpoint started');
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body?: unknown) => {
      const text = body === undefined ? '' : `${JSON.stringify(body)}\n`;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://admin');
    // DNS rebinding and cross-site requests: the Host (and Origin, when sent) must name an allowed origin.
    const allowed = (hostname: string) =>
      this.origins ? this.origins.has(hostname) : isLoopback(hostname.replace(/^\[|\]$/g, ''));
    let hostOk = false;
    try {
      hostOk = allowed(new URL(`http://${req.headers.host ?? ''}`).hostname);
    } catch {
      hostOk = false;
    }
    if (!hostOk) {
      send(403, { error: `host not allowed: ${req.headers.host ?? ''}` });
      return;
    }
    const origin = req.headers.origin;
    if (origin) {
      try {
        if (!allowed(new URL(origin).hostname)) {
          send(403, { error: `origin not allowed: ${origin}` });
          return;
        }
      } catch {
        send(403, { error: 'invalid origin' });
        return;
      }
    }
    try {
      if (url.pathname === '/metrics') {
        // admin.api.metrics: the same metrics as the metrics handler, in the text format only (as in Caddy).
        const out = await this.metrics.scrape(
          this.target.currentMetrics?.(),
          { accept: req.headers.accept, acceptEncoding: req.headers['accept-encoding'] },
          false,
        );
        res.writeHead(out.status, { ...out.headers, 'Content-Length': out.body.length });
        res.end(out.body);
      } else if (url.pathname === '/config' || url.pathname.startsWith('/config/')) {
        const sub = url.pathname.slice('/config'.length);
        if (req.method === 'GET') {
          send(200, getAt(this.target.currentConfig() ?? null, sub) ?? null);
          return;
        }
        if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '')) {
          send(405, { error: `method ${req.method} not allowed` });
          return;
        }
        let value: unknown;
        if (req.method !== 'DELETE') {
          const body = await readBody(req);
          try {
            value = JSON.parse(body);
          } catch (e) {
            send(400, { error: `invalid JSON: ${(e as Error).message}` });
            return;
          }
        }
        const spread = sub.endsWith('/...');
        const next = editAt(this.target.currentConfig(), spread ? sub.slice(0, -4) : sub, req.method!, value, spread);
        await this.target.reload(next);
        send(200);
      } else if (req.method === 'POST' && url.pathname === '/load') {
        const body = await readBody(req);
        const ct = String(req.headers['content-type'] ?? 'application/json')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        let json: unknown;
        if (ct === 'application/json' || ct === '') {
          try {
            json = JSON.parse(body);
          } catch (e) {
            send(400, { error: `invalid JSON: ${(e as Error).message}` });
            return;
          }
        } else {
          const adapter = ct.startsWith('text/') ? this.adapters[ct.slice(5)] : undefined;
          if (!adapter) {
            send(400, { error: `no config adapter for ${ct}; send application/json` });
            return;
          }
          try {
            json = await adapter(body);
          } catch (e) {
            send(400, { error: (e as Error).message });
            return;
          }
        }
        await this.target.reload(json);
        send(200);
      } else if (req.method === 'GET' && /^\/pki\/ca\/[^/]+\/?$/.test(url.pathname) && this.target.rootCertificate) {
        // Caddy's answer has the CA's names and intermediate too; `trust` needs only the root.
        const id = decodeURIComponent(url.pathname.split('/')[3]!);
        const cas = (this.target.currentConfig() as { apps?: { pki?: { certificate_authorities?: object } } } | null)
          ?.apps?.pki?.certificate_authorities;
        if (id !== 'local' && !(cas && Object.hasOwn(cas, id))) {
          send(404, { error: `no certificate authority configured with id: ${id}` });
          return;
        }
        send(200, { id, root_certificate: await this.target.rootCertificate(id) });
      } else if (req.method === 'POST' && url.pathname === '/stop') {
        send(200);
        setImmediate(() => void this.target.stop());
      } else {
        send(404, { error: `not found: ${req.method} ${url.pathname}` });
      }
    } catch (e) {
      if (e instanceof PathError) {
        send(e.status, { error: e.message });
        return;
      }
      const msg = e instanceof ConfigError ? e.errors.map(formatValidationError).join('; ') : (e as Error).message;
      this.log.error({ error: msg }, 'admin request failed');
      send(400, { error: msg });
    }
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
