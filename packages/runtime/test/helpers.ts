/** Test helpers: start configs on loopback port 0, and small HTTP/1.1 and HTTP/2 clients. */
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type AnyModule, type RunningInstance } from '@proxy/runtime';

export interface Started {
  inst: RunningInstance;
  port: (server?: string) => number;
  dataDir: string;
  logs: string[];
  close: () => Promise<void>;
}

/**
 * Starts a config with admin disabled (unless given) and a temp data dir. An http app without http_port
 * gets a free one: automatic HTTPS would otherwise put its redirect server on port 80, which parallel
 * test files would fight over.
 */
export async function start(config: Record<string, unknown>, modules?: readonly AnyModule[]): Promise<Started> {
  const httpApp = (config['apps'] as { http?: Record<string, unknown> } | undefined)?.http;
  if (httpApp && httpApp['http_port'] === undefined) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await startOnce(
          { ...config, apps: { ...(config['apps'] as object), http: { ...httpApp, http_port: await freePort() } } },
          modules,
        );
      } catch (e) {
        if (attempt >= 4 || !String(e).includes('cannot listen')) throw e;
      }
    }
  }
  return startOnce(config, modules);
}

/** Starts one HTTP server (srv0) on a loopback port with automatic HTTPS off; `server` gives its routes and options. */
export function startServer(server: Record<string, unknown>): Promise<Started> {
  return start({
    apps: { http: { servers: { srv0: { listen: ['127.0.0.1:0'], automatic_https: { disable: true }, ...server } } } },
  });
}

async function startOnce(config: Record<string, unknown>, modules: readonly AnyModule[] | undefined): Promise<Started> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'proxy-rt-'));
  const logs: string[] = [];
  const cfg = { admin: { disabled: true }, ...config };
  let inst: RunningInstance;
  try {
    inst = await loadConfig(cfg, {
      env: { ...process.env, PROXY_DATA_DIR: dataDir },
      logDestination: {
        write: (s: string) => {
          logs.push(s);
        },
      },
      reloadGraceMs: 5000,
      ...(modules ? { modules } : {}),
    });
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    inst,
    dataDir,
    logs,
    port: (server = 'srv0') => inst.addresses(server)[0]!.port,
    close: async () => {
      await inst.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  proto?: string;
}

/** An HTTP/1.1 request to 127.0.0.1 with a Host header. */
export function get(
  port: number,
  p: string,
  opts: {
    host?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    raw?: boolean;
  } = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: p,
        method: opts.method ?? 'GET',
        agent: false,
        headers: { host: opts.host ?? 'localhost', ...(opts.headers ?? {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(opts.raw ? 'latin1' : 'utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** An HTTPS (HTTP/1.1) request trusting `ca`, with SNI = servername. */
export function getTls(
  port: number,
  p: string,
  opts: { servername: string; ca: string; headers?: Record<string, string>; cert?: string; key?: string },
): Promise<Res & { alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        path: p,
        servername: opts.servername,
        ca: opts.ca,
        agent: false,
        headers: { host: opts.servername, ...(opts.headers ?? {}) },
        ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        const alpn = (res.socket as import('node:tls').TLSSocket).alpnProtocol;
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), alpn }),
        );
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** An HTTP/2 request over TLS. */
export function getH2(port: number, p: string, opts: { servername: string; ca: string }): Promise<Res> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`https://127.0.0.1:${port}`, { ca: opts.ca, servername: opts.servername });
    client.on('error', reject);
    const req = client.request({ ':path': p, ':method': 'GET', ':authority': opts.servername });
    let headers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      headers = h;
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      client.close();
      resolve({
        status: Number(headers[':status']),
        headers: headers as http.IncomingHttpHeaders,
        body: Buffer.concat(chunks).toString(),
        proto: 'h2',
      });
    });
    req.on('error', (e) => {
      client.close();
      reject(e);
    });
    req.setTimeout(10_000, () => {
      req.close();
      reject(new Error('timeout'));
    });
    req.end();
  });
}

/**
 * A free loopback TCP port (for configs that need a fixed port, like http_port). Picked below the kernel's
 * ephemeral range, where outgoing connections of parallel tests cannot take it before it is bound.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port found');
}

/** A one-route http app config. */
export function httpApp(
  servers: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apps: { http: { servers, ...extra } } };
}

/**
 * Starts a config built from fresh free ports, retrying when a port was taken between the probe and the
 * bind (other test files run in parallel).
 */
export async function startWithPorts<T extends unknown[]>(
  pick: () => Promise<T>,
  build: (...ports: T) => Record<string, unknown>,
): Promise<{ s: Started; ports: T }> {
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const ports = await pick();
    try {
      return { s: await start(build(...ports)), ports };
    } catch (e) {
      last = e;
      if (!String(e).includes('cannot listen')) throw e;
    }
  }
  throw last;
}
