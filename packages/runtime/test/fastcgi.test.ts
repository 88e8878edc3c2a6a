import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get, getTls, start, type Started } from './helpers.js';

function hasPhpCgi(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v php-cgi'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(hasPhpCgi())('reverse_proxy fastcgi transport against php-cgi', () => {
  let root: string;
  let php: ChildProcess;
  let s: Started;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-php-'));
    writeFileSync(
      path.join(root, 'index.php'),
      `<?php
header('X-Php: yes');
if (($_GET['code'] ?? '') === '404') { http_response_code(404); }
echo 'php ', $_SERVER['REQUEST_METHOD'], ' [', $_SERVER['PATH_INFO'] ?? '', '] ', $_GET['q'] ?? '', ' ', file_get_contents('php://input'), ' ', $_SERVER['HTTP_X_CUSTOM'] ?? '', ' ', $_SERVER['APP_ENV'] ?? '';
`,
    );
    const port = await freePort();
    php = spawn('php-cgi', ['-b', `127.0.0.1:${port}`], {
      stdio: 'ignore',
      env: { ...process.env, PHP_FCGI_CHILDREN: '0' },
    });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => {
          c.destroy();
          resolve(true);
        });
        c.on('error', () => resolve(false));
      });
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  handle: [
                    { handler: 'vars', root },
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${port}` }],
                      transport: {
                        protocol: 'fastcgi',
                        split_path: ['.php'],
                        env: { APP_ENV: 'test-{http.request.method}' },
                      },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    php?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs PHP scripts with CGI variables, query, body, headers, env and PATH_INFO', async () => {
    const r = await get(s.port(), '/index.php/extra/path?q=hello', {
      method: 'POST',
      body: 'payload',
      headers: { 'Content-Type': 'text/plain', 'X-Custom': 'c' },
    });
    expect(r.status).toBe(200);
    expect(r.headers['x-php']).toBe('yes');
    expect(r.body).toBe('php POST [/extra/path] hello payload c test-POST');
    const nf = await get(s.port(), '/index.php?code=404');
    expect(nf.status).toBe(404);
    // Like Caddy, the CGI Status field reaches the client besides setting the code.
    expect(nf.headers['status']).toBe('404 Not Found');
    expect(r.headers['status']).toBeUndefined();
  });

  it('cuts a header too large for one FastCGI record to fit, as Caddy does, instead of failing the exchange', async () => {
    const big = 'b'.repeat(70_000);
    const r = await get(s.port(), '/index.php', { headers: { 'X-Custom': big } });
    expect(r.status).toBe(200);
    // 65528 bytes per record (PHP wants content and padding within 16 bits), minus the 8 length bytes and
    // the name HTTP_X_CUSTOM.
    expect(r.body).toContain(` ${'b'.repeat(65528 - 8 - 'HTTP_X_CUSTOM'.length)} `);
  });

  it('reads a small chunked body ahead so PHP gets its CONTENT_LENGTH (current Caddy buffers 4 KiB for fastcgi)', async () => {
    const r = await get(s.port(), '/index.php?q=c', {
      method: 'PUT',
      body: 'chunked-payload',
      headers: { 'Transfer-Encoding': 'chunked' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toBe('php PUT [] c chunked-payload  test-PUT');
  });
});

describe.runIf(hasPhpCgi())('php_fastcgi (the routes Caddy adapts it to) against php-cgi', () => {
  let root: string;
  let php: ChildProcess;
  let s: Started;
  const KEYS = [
    'SCRIPT_NAME',
    'SCRIPT_FILENAME',
    'PATH_INFO',
    'PATH_TRANSLATED',
    'PHP_SELF',
    'DOCUMENT_URI',
    'REQUEST_URI',
    'QUERY_STRING',
    'CONTENT_LENGTH',
    'CONTENT_TYPE',
  ];
  const TLS_KEYS = ['HTTPS', 'SSL_PROTOCOL', 'SSL_CIPHER', 'REQUEST_SCHEME'];
  let ca: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-php-'));
    const script = `<?php header('Content-Type: application/json'); $o = []; foreach (${JSON.stringify([...KEYS, ...TLS_KEYS]).replace(/"/g, "'")} as $k) $o[$k] = $_SERVER[$k] ?? null; echo json_encode($o);\n`;
    writeFileSync(path.join(root, 'index.php'), script);
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub', 'index.php'), script);
    writeFileSync(path.join(root, 'other.php'), script);
    const port = await freePort();
    php = spawn('php-cgi', ['-b', `127.0.0.1:${port}`], {
      stdio: 'ignore',
      env: { ...process.env, PHP_FCGI_CHILDREN: '0' },
    });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => {
          c.destroy();
          resolve(true);
        });
        c.on('error', () => resolve(false));
      });
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // what `caddy adapt` prints for `root * <dir>` + `php_fastcgi 127.0.0.1:<port>`
    const routes = [
      { handle: [{ handler: 'vars', root }] },
      {
        match: [{ file: { try_files: ['{http.request.uri.path}/index.php'] }, not: [{ path: ['*/'] }] }],
        handle: [
          { handler: 'static_response', headers: { Location: ['{http.request.orig_uri.path}/'] }, status_code: 308 },
        ],
      },
      {
        match: [
          {
            file: {
              split_path: ['.php'],
              try_files: ['{http.request.uri.path}', '{http.request.uri.path}/index.php', 'index.php'],
            },
          },
        ],
        handle: [{ handler: 'rewrite', uri: '{http.matchers.file.relative}' }],
      },
      {
        match: [{ path: ['*.php'] }],
        handle: [
          {
            handler: 'reverse_proxy',
            transport: { protocol: 'fastcgi', split_path: ['.php'] },
            upstreams: [{ dial: `127.0.0.1:${port}` }],
          },
        ],
      },
    ];
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: { listen: ['127.0.0.1:0'], routes },
            tls: {
              listen: ['127.0.0.1:0'],
              routes: [{ match: [{ host: ['php.localhost'] }], handle: [{ handler: 'subroute', routes }] }],
            },
          },
        },
        tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
      },
    });
    ca = await s.inst.rootCertificate();
  });
  afterAll(async () => {
    await s?.close();
    php?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  const env = async (p: string, opts: Parameters<typeof get>[2] = {}) => {
    const r = await get(s.port(), p, opts);
    expect(r.status).toBe(200);
    return JSON.parse(r.body) as Record<string, string | null>;
  };

  it('runs index.php for "/" and for a directory with a trailing slash', async () => {
    expect(await env('/')).toMatchObject({
      SCRIPT_NAME: '/index.php',
      SCRIPT_FILENAME: path.join(root, 'index.php'),
      PATH_INFO: '',
      PHP_SELF: '/index.php',
      REQUEST_URI: '/',
    });
    expect(await env('/sub/')).toMatchObject({
      SCRIPT_NAME: '/sub/index.php',
      SCRIPT_FILENAME: path.join(root, 'sub', 'index.php'),
      REQUEST_URI: '/sub/',
    });
    const redirect = await get(s.port(), '/sub');
    expect(redirect.status).toBe(308);
    expect(redirect.headers.location).toBe('/sub/');
  });

  it('passes the path after the script as PATH_INFO (values as Caddy sends them)', async () => {
    expect(await env('/index.php/extra')).toEqual({
      SCRIPT_NAME: '/index.php',
      SCRIPT_FILENAME: path.join(root, 'index.php'),
      PATH_INFO: '/extra',
      PATH_TRANSLATED: path.join(root, 'extra'),
      PHP_SELF: '/index.php/extra',
      DOCUMENT_URI: '/index.php',
      REQUEST_URI: '/index.php/extra',
      QUERY_STRING: '',
      CONTENT_LENGTH: '0',
      CONTENT_TYPE: '',
      HTTPS: null,
      SSL_PROTOCOL: null,
      SSL_CIPHER: null,
      REQUEST_SCHEME: 'http',
    });
    expect(await env('/other.php/a/b?x=1')).toMatchObject({
      SCRIPT_NAME: '/other.php',
      PATH_INFO: '/a/b',
      PHP_SELF: '/other.php/a/b',
      QUERY_STRING: 'x=1',
      REQUEST_URI: '/other.php/a/b?x=1',
    });
    // no such file: the front controller runs, with the original URI
    expect(await env('/nope/x?y')).toMatchObject({
      SCRIPT_NAME: '/index.php',
      PATH_INFO: '',
      REQUEST_URI: '/nope/x?y',
    });
  });

  it("tells PHP about TLS as Caddy does (HTTPS, and mod_ssl's SSL_PROTOCOL and SSL_CIPHER)", async () => {
    const r = await getTls(s.port('tls'), '/', { servername: 'php.localhost', ca });
    const e = JSON.parse(r.body) as Record<string, string | null>;
    expect(e['HTTPS']).toBe('on');
    expect(e['REQUEST_SCHEME']).toBe('https');
    expect(e['SSL_PROTOCOL']).toMatch(/^TLSv1\.[23]$/);
    expect(e['SSL_CIPHER']).toMatch(/^TLS_[A-Z0-9_]+$/);
    expect(e['HTTPS'] === 'on' && (await env('/'))['HTTPS']).toBeNull();
  });

  it("sends a form content type and a length for bodies, like Caddy's fastcgi client", async () => {
    expect(await env('/index.php', { method: 'POST', body: 'a=b' })).toMatchObject({
      CONTENT_LENGTH: '3',
      CONTENT_TYPE: 'application/x-www-form-urlencoded',
    });
  });
});

describe('fastcgi transport failures', () => {
  it('answers 502 for a refused dial and stays up when the dial timer would have fired later', async () => {
    const dead = await freePort();
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      transport: { protocol: 'fastcgi', dial_timeout: '50ms' },
                      upstreams: [{ dial: `127.0.0.1:${dead}` }],
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    try {
      expect((await get(s.port(), '/a.php')).status).toBe(502);
      await new Promise((r) => setTimeout(r, 200)); // past the dial timeout
      expect((await get(s.port(), '/b.php')).status).toBe(502);
    } finally {
      await s.close();
    }
  });
});
