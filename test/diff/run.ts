/**
 * @module diff/run: runs one scenario: both servers started once, every request sent to each in order
 * (caddy and proxy in parallel for the same request), then the first access-log line's key set compared.
 */
import { existsSync, readFileSync } from 'node:fs';
import { send } from './client.js';
import { logKeys, view, type Normalized } from './compare.js';
import { startServer, type Running, type Shared } from './servers.js';
import type { Req, Scenario } from './types.js';

export interface RequestResult {
  label: string;
  req: Req;
  caddy: Normalized[] | string;
  proxy: Normalized[] | string;
}

export interface ScenarioResult {
  requests: RequestResult[];
  /** Key paths of the first access-log line of each side (scenarios with `log`). */
  logs?: { caddy: string[] | string; proxy: string[] | string; caddyLines: number; proxyLines: number };
}

export function labelOf(r: Req, i: number): string {
  return (
    r.label ??
    (r.raw !== undefined
      ? `raw#${i + 1}`
      : `${r.method ?? 'GET'} ${r.path ?? '/'}${r.http === '2' ? ' h2' : r.http === '1.0' ? ' h1.0' : ''}`)
  );
}

/** The access-log lines written so far, once at least `want` are there (loggers may flush asynchronously). */
async function logLines(run: Running, want: number): Promise<string[]> {
  let lines: string[] = [];
  for (let i = 0; i < 30; i++) {
    if (existsSync(run.logFile))
      lines = readFileSync(run.logFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim());
    if (lines.length >= want) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return lines;
}

/** Starts both servers; once more on fresh ports when a port was taken between probing and binding. */
async function startBoth(sc: Scenario, shared: Shared): Promise<[Running, Running]> {
  for (let attempt = 1; ; attempt++) {
    const started = await Promise.allSettled([startServer('caddy', sc, shared), startServer('proxy', sc, shared)]);
    const [c, p] = started;
    if (c.status === 'fulfilled' && p.status === 'fulfilled') return [c.value, p.value];
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    const why = started
      .map((s, i) => (s.status === 'rejected' ? `${i === 0 ? 'caddy' : 'proxy'}: ${(s.reason as Error).message}` : ''))
      .filter(Boolean);
    const text = why.join('\n');
    if (attempt < 2 && /address already in use|EADDRINUSE/i.test(text)) continue;
    throw new Error(`start-up failed\n${text}`);
  }
}

export async function runScenario(sc: Scenario, shared: Shared): Promise<ScenarioResult> {
  const [caddy, proxy] = await startBoth(sc, shared);
  try {
    const requests: RequestResult[] = [];
    for (const [i, req] of sc.requests.entries()) {
      const target = (run: Running): { port: number; tls: boolean; fill: (s: string) => string } => ({
        port: req.port === 'PORT2' ? run.ports.PORT2 : run.ports.PORT,
        tls: req.tls ?? sc.tls ?? false,
        fill: run.fill,
      });
      if (req.sleepMs) await new Promise((r) => setTimeout(r, Math.min(req.sleepMs ?? 0, 3000)));
      const [co, po] = await Promise.all([send(req, target(caddy)), send(req, target(proxy))]);
      const want = req.responses ?? 1;
      requests.push({
        label: labelOf(req, i),
        req,
        caddy: view(co, caddy.ports, sc, want),
        proxy: view(po, proxy.ports, sc, want),
      });
    }
    const result: ScenarioResult = { requests };
    if (sc.log) {
      const caddyLines = await logLines(caddy, 1);
      // Give proxy the chance to write as many lines as caddy did before comparing counts.
      const proxyLines = await logLines(proxy, caddyLines.length || 1);
      const keys = (lines: string[]): string[] | string => {
        const line = lines[0];
        if (line === undefined) return 'no access-log line';
        try {
          return logKeys(line);
        } catch {
          return `not JSON: ${line.slice(0, 200)}`;
        }
      };
      result.logs = {
        caddy: keys(caddyLines),
        proxy: keys(proxyLines),
        caddyLines: caddyLines.length,
        proxyLines: proxyLines.length,
      };
    }
    return result;
  } finally {
    await Promise.all([caddy.stop(), proxy.stop()]);
  }
}
