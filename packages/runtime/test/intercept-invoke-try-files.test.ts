/** Route-level handlers and matchers on one server: try_files (file matcher), intercept, invoke, vars_regexp, request_body, log_append. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('file matcher (try_files), invoke, vars_regexp, log_append, request_body', () => {
  let s: Started;
  let root: string;
  // An upstream that reads the whole body: the limit trips while the proxy streams it (with a dead upstream the
  // dial fails first and the answer is 502, as in Caddy).
  const upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('read'));
  });
  beforeAll(async () => {
    await new Promise<void>((ok) => upstream.listen(0, '127.0.0.1', ok));
    const upPort = (upstream.address() as AddressInfo).port;
    root = mkdtempSync(path.join(tmpdir(), 'proxy-try-'));
    writeFileSync(path.join(root, 'index.html'), 'spa shell');
    writeFileSync(path.join(root, 'app.js'), 'js');
    mkdirSync(path.join(root, 'blog'));
    writeFileSync(path.join(root, 'blog', 'index.html'), 'blog');
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              logs: {},
              named_routes: {
                shared: { handle: [{ handler: 'static_response', body: 'from named route {http.request.uri.path}' }] },
              },
              routes: [
                { match: [{ path: ['/named/*'] }], handle: [{ handler: 'invoke', name: 'shared' }], terminal: true },
                {
                  match: [
                    {
                      path: ['/vr/*'],
                      vars_regexp: { '{http.request.uri.path}': { name: 'id', pattern: '^/vr/(\\d+)$' } },
                    },
                  ],
                  handle: [{ handler: 'static_response', body: 'id {http.regexp.id.1}' }],
                  terminal: true,
                },
                {
                  match: [{ path: ['/upload'] }],
                  handle: [
                    { handler: 'request_body', max_size: 10 },
                    { handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${upPort}` }] },
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/icpt/*'] }],
                  handle: [
                    {
                      handler: 'intercept',
                      handle_response: [
                        {
                          match: { status_code: [404] },
                          routes: [
                            {
                              handle: [
                                {
                                  handler: 'static_response',
                                  status_code: 200,
                                  body: 'intercepted {http.intercept.status_code} {http.intercept.header.X-From}',
                                },
                              ],
                            },
                          ],
                        },
                        { match: { status_code: [5] }, status_code: 299 },
                      ],
                    },
                    {
                      handler: 'subroute',
                      routes: [
                        {
                          match: [{ path: ['/icpt/missing'] }],
                          handle: [
                            {
                              handler: 'static_response',
                              status_code: 404,
                              headers: { 'X-From': ['inner'] },
                              body: 'inner 404',
                            },
                          ],
                        },
                        {
                          match: [{ path: ['/icpt/broken'] }],
                          handle: [{ handler: 'static_response', status_code: 503, body: 'kept body' }],
                        },
                        { handle: [{ handler: 'static_response', body: 'untouched' }] },
                      ],
                    },
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/logged'] }],
                  handle: [
                    {
                      handler: 'log_append',
                      key: 'extra_field',
                      value: '{http.request.method}-{http.response.status}',
                    },
                    { handler: 'static_response', body: 'l' },
                  ],
                  terminal: true,
                },
                {
                  handle: [
                    { handler: 'vars', root },
                    {
                      handler: 'subroute',
                      routes: [
                        {
                          match: [
                            {
                              file: {
                                try_files: ['{http.request.uri.path}', '{http.request.uri.path}/', '/index.html'],
                              },
                            },
                          ],
                          handle: [{ handler: 'rewrite', uri: '{http.matchers.file.relative}' }],
                        },
                      ],
                    },
                    { handler: 'file_server' },
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
    await s.close();
    upstream.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('try_files falls back to the SPA shell; existing files and directories win', async () => {
    expect((await get(s.port(), '/app.js')).body).toBe('js');
    expect((await get(s.port(), '/some/client/route')).body).toBe('spa shell');
    expect((await get(s.port(), '/blog/')).body).toBe('blog');
  });

  it('intercept handles responses of later handlers by status', async () => {
    expect((await get(s.port(), '/icpt/missing')).body).toBe('intercepted 404 inner');
    const b = await get(s.port(), '/icpt/broken');
    expect(b.status).toBe(299);
    expect(b.body).toBe('kept body');
    expect((await get(s.port(), '/icpt/ok')).body).toBe('untouched');
  });

  it('invoke runs a named route', async () =>
    expect((await get(s.port(), '/named/x')).body).toBe('from named route /named/x'));

  it('vars_regexp matches placeholders and captures', async () => {
    expect((await get(s.port(), '/vr/42')).body).toBe('id 42');
  });

  it('request_body rejects bodies over max_size with 413', async () => {
    const r = await get(s.port(), '/upload', { method: 'POST', body: 'x'.repeat(100) });
    expect(r.status).toBe(413);
  });

  it('log_append adds fields to the access log', async () => {
    await get(s.port(), '/logged', { method: 'PUT' });
    await new Promise((r) => setTimeout(r, 20));
    const entry = s.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => (e['request'] as { uri?: string } | undefined)?.uri === '/logged');
    expect(entry?.['extra_field']).toBe('PUT-200');
  });
});
