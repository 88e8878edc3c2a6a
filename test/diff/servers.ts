/**
 * @module diff/servers: starts `caddy run` (the oracle) and `proxy run` on one scenario's Caddyfile, each on its
 * own free loopback ports and temp data dirs, waits (bounded) until every listener accepts, and stops them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './types.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROXY_MAIN = path.join(repo, 'packages/cli/dist/bundle/main.js');
export const CADDY = process.env['CADDY_BIN'] ?? '/usr/bin/caddy';

const START_TIMEOUT_MS = 15_000;
const taken = new Set<number>();

/** Servers still running: killed if the test process goes away mid-run (interrupted, crashed worker). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** A free loopback port below the ephemeral range, never handed out twice in one run. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if (taken.has(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port found');
}

export type Side = 'caddy' | 'proxy';

export interface Running {
  side: Side;
  ports: { PORT: number; PORT2: number };
  logFile: string;
  fill(s: string): string;
  /** The server's own stdout/stderr so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Placeholders shared by both servers (upstreams, fixture root). */
export type Shared = Record<string, string>;

export function renderCaddyfile(side: Side, sc: Scenario, fill: (s: string) => string, httpPort: number): string {
  const old = side === 'caddy' && sc.caddyfile262 !== undefined;
  const extra = old && sc.global262 !== undefined ? sc.global262 : sc.global;
  const own = extra?.split('\n') ?? [];
  // A scenario that sets http_port (to test HTTP->HTTPS redirects on {{PORT2}}) keeps it; others get a private one.
  const global = [
    'admin off',
    'skip_install_trust',
    ...(own.some((l) => l.trim().startsWith('http_port')) ? [] : [`http_port ${httpPort}`]),
    ...own,
  ];
  const sites = old ? sc.caddyfile262 : sc.caddyfile;
  return fill(
    `{\n${global
      .map((l) => `\t${l.trim()}`)
      .filter((l) => l.trim())
      .join('\n')}\n}\n\n${sites}\n`,
  );
}

export async function startServer(side: Side, sc: Scenario, shared: Shared): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), `proxy-diff-${side}-`));
  const ports = { PORT: await freePort(), PORT2: await freePort() };
  const httpPort = await freePort();
  const logFile = path.join(dir, 'access.log');
  const vars: Record<string, string> = {
    ...shared,
    PORT: String(ports.PORT),
    PORT2: String(ports.PORT2),
    LOG: logFile,
  };
  const fill = (s: string): string => s.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
  const cfgFile = path.join(dir, 'Caddyfile');
  writeFileSync(cfgFile, renderCaddyfile(side, sc, fill, httpPort));
  const outFile = path.join(dir, 'output.txt');
  const out = openSync(outFile, 'w');
  const env = {
    ...process.env,
    PROXY_DIFF_ENV: 'from-env',
    XDG_DATA_HOME: dir,
    XDG_CONFIG_HOME: dir,
    HOME: dir,
    PROXY_DATA_DIR: path.join(dir, 'proxy-data'),
  };
  const child: ChildProcess =
    side === 'caddy'
      ? spawn(CADDY, ['run', '--config', cfgFile, '--adapter', 'caddyfile'], {
          env,
          stdio: ['ignore', out, out],
          cwd: dir,
        })
      : spawn(process.execPath, [PROXY_MAIN, 'run', '--config', cfgFile], {
          env,
          stdio: ['ignore', out, out],
          cwd: dir,
        });
  closeSync(out);
  live.add(child);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );
  const output = (): string => {
    try {
      return readFileSync(outFile, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const running: Running = { side, ports, logFile, fill, output, stop };
  const listeners = [ports.PORT, ...(sc.port2 ? [ports.PORT2] : [])];
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const port of listeners) {
    for (;;) {
      if (exited) {
        const text = output();
        await stop();
        throw new Error(`${side} exited during start-up:\n${text.slice(-3000)}`);
      }
      if (await probe(port, sc.tls === true && port === ports.PORT, sc.sni ?? 'localhost')) break;
      if (Date.now() > deadline) {
        const text = output();
        await stop();
        throw new Error(`${side} did not listen on ${port} in time:\n${text.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return running;
}

/** True when the port accepts a connection (and completes a TLS handshake for TLS sites). */
function probe(port: number, useTls: boolean, servername: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = useTls
      ? tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port });
    const t = setTimeout(() => {
      sock.destroy();
      resolve(false);
    }, 1000);
    sock.once(useTls ? 'secureConnect' : 'connect', () => {
      clearTimeout(t);
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => {
      clearTimeout(t);
      resolve(false);
    });
  });
}
