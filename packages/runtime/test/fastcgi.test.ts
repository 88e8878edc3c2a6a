import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get, start, type Started } from './helpers.js';

function hasPhpCgi(): boolean {
  try { execFileSync('sh', ['-c', 'command -v php-cgi'], { stdio: 'ignore' }); return true; } catch { return false; }
}

describe.runIf(hasPhpCgi())('reverse_proxy fastcgi transport against php-cgi', () => {
  let root: string;
  let php: ChildProcess;
  let s: Started;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-php-'));
    writeFileSync(path.join(root, 'index.php'), `<?php
header('X-Php: yes');
if (($_GET['code'] ?? '') === '404') { http_response_code(404); }
echo 'php ', $_SERVER['REQUEST_METHOD'], ' [', $_SERVER['PATH_INFO'] ?? '', '] ', $_GET['q'] ?? '', ' ', file_get_contents('php://input'), ' ', $_SERVER['HTTP_X_CUSTOM'] ?? '', ' ', $_SERVER['APP_ENV'] ?? '';
`);
    const port = await freePort();
    php = spawn('php-cgi', ['-b', `127.0.0.1:${port}`], { stdio: 'ignore', env: { ...process.env, PHP_FCGI_CHILDREN: '0' } });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => { const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); }); c.on('error', () => resolve(false)); });
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    s = await start({ apps: { http: { servers: { srv0: { listen: ['127.0.0.1:0'], routes: [
      { handle: [
        { handler: 'vars', root },
        { handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${port}` }], transport: { protocol: 'fastcgi', split_path: ['.php'], env: { APP_ENV: 'test-{http.request.method}' } } },
      ] },
    ] } } } } });
  });
  afterAll(async () => { await s?.close(); php?.kill(); rmSync(root, { recursive: true, force: true }); });

  it('runs PHP scripts with CGI variables, query, body, headers, env and PATH_INFO', async () => {
    const r = await get(s.port(), '/index.php/extra/path?q=hello', { method: 'POST', body: 'payload', headers: { 'Content-Type': 'text/plain', 'X-Custom': 'c' } });
    expect(r.status).toBe(200);
    expect(r.headers['x-php']).toBe('yes');
    expect(r.body).toBe('php POST [/extra/path] hello payload c test-POST');
    const nf = await get(s.port(), '/index.php?code=404');
    expect(nf.status).toBe(404);
  });
});
