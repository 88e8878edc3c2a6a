/**
 * @module metrics-e2e: `proxy run` with a Caddyfile that turns metrics on: the `metrics` handler and the admin
 * API's /metrics are scraped, the exposition is checked by Prometheus's own `promtool check metrics` (Debian's
 * prometheus package; .ci/run installs it), and the request counters move with the requests sent.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './l4-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '../packages/cli/dist/main.js');
const promtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

function get(port: number, p: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** The value of one sample, undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** promtool's verdict on an exposition: exit status and what it printed. */
function check(text: string): { status: number | null; out: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

let dir: string;
let proxy: ChildProcess;
let port: number;
let adminPort: number;
let logs = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'metrics-e2e-'));
  port = await freePort();
  adminPort = await freePort();
  const file = path.join(dir, 'Caddyfile');
  writeFileSync(
    file,
    `{\n\tadmin 127.0.0.1:${adminPort}\n\tmetrics\n}\nhttp://127.0.0.1:${port} {\n\tmetrics /metrics\n\trespond /hello "hi" 201\n\terror /fail "no" 503\n}\n`,
  );
  proxy = spawn(process.execPath, [cli, 'run', '--config', file], {
    env: { ...process.env, PROXY_DATA_DIR: path.join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proxy.stdout!.on('data', (c: Buffer) => (logs += c.toString()));
  proxy.stderr!.on('data', (c: Buffer) => (logs += c.toString()));
  for (let i = 0; i < 100 && !/admin endpoint started/.test(logs); i++) {
    if (proxy.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(logs).toMatch(/admin endpoint started/);
}, 30_000);

afterAll(async () => {
  if (proxy && proxy.exitCode === null) {
    const exited = new Promise((r) => proxy.once('exit', r));
    proxy.kill('SIGTERM');
    const t = setTimeout(() => proxy.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('proxy run with metrics', () => {
  it('counts requests, and both endpoints pass promtool check metrics', async () => {
    const series = 'caddy_http_requests_total{handler="subroute",server="srv0"}';
    const before = await get(port, '/metrics');
    expect(before.status).toBe(200);
    expect(before.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const start = sample(before.body, series) ?? 0;
    for (let i = 0; i < 3; i++) expect((await get(port, '/hello')).status).toBe(201);
    expect((await get(port, '/fail', 'POST')).status).toBe(503);
    const after = await get(port, '/metrics');
    // The three, the failure, and the first scrape.
    expect(sample(after.body, series)).toBe(start + 5);
    expect(sample(after.body, 'caddy_http_request_errors_total{handler="subroute",server="srv0"}')).toBe(1);
    expect(
      sample(
        after.body,
        'caddy_http_response_size_bytes_sum{code="201",handler="subroute",method="GET",server="srv0"}',
      ),
    ).toBe(6);
    expect(
      sample(
        after.body,
        'caddy_http_request_duration_seconds_count{code="503",handler="subroute",method="POST",server="srv0"}',
      ),
    ).toBe(1);
    const admin = await get(adminPort, '/metrics');
    expect(admin.status).toBe(200);
    expect(sample(admin.body, series)).toBe(start + 6);
    expect(admin.body).toMatch(/^process_resident_memory_bytes /m);
    expect(admin.body).toMatch(/^caddy_config_last_reload_successful 1$/m);
    if (!promtool) {
      console.warn('metrics-e2e: promtool not installed (apt-get install prometheus); exposition not checked by it');
      return;
    }
    for (const text of [after.body, admin.body]) {
      const verdict = check(text);
      expect(verdict.out).toBe('');
      expect(verdict.status).toBe(0);
    }
    // promtool does find problems: a gauge with a counter's suffix.
    expect(check('# HELP x_total x\n# TYPE x_total gauge\nx_total 1\n').status).not.toBe(0);
  }, 30_000);
});
