import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('templates handler', () => {
  let s: Started;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-tpl-'));
    const files: Record<string, string> = {
      'index.html': '<p>{{.Req.Method}} {{.Req.URL.Path}} {{.Req.URL.Query.Get "q"}} {{.Host}}</p>',
      'style.css': '{{ not a template }}',
      'page.txt': 'plain {{upper "x"}}',
      'inc.html': '{{include "part.html" "one" 2}}|{{import "defs.html"}}{{template "hi" "you"}}',
      'part.html': 'part {{index .Args 0}} {{index .Args 1}}',
      'defs.html': '{{define "hi"}}hi {{.}}{{end}}',
      'headers.html':
        '{{.RespHeader.Set "X-Tpl" "set"}}{{.RespHeader.Del "X-Gone"}}{{.Req.Header.Get "X-In"}} {{.Cookie "c"}}',
      'broken.html': 'before {{.Nope}} after',
      'parse.html': '{{if}}',
      'loop-broken.html': 'long enough to declare a length {{.Nope}}',
      'forbidden.html': '{{httpError 403}}',
      'fm.html':
        '{{$d := splitFrontMatter (include "post.md")}}{{$d.Meta.title}}|{{markdown $d.Body}}|{{stripHTML "<b>x</b>"}}',
      'post.md': '---\ntitle: Post\n---\n# Hello *there*\n',
      'files.html': '{{fileExists "part.html"}} {{fileExists "nope"}} {{listFiles "dir"}} {{humanize "size" "2048"}}',
      'ph.html': '{{placeholder "http.request.uri"}} {{ph "http.request.method"}} {{env "TPL_TEST_VAR"}}',
      'delims.html': '[[.Req.Method]] {{.Req.Method}}',
      'current.html':
        '{{readFile "part.html"}}|{{pathEscape "a b/c?d"}}|{{(fileStat "dir").IsDir}} {{(fileStat "part.html").Name}} {{(fileStat "part.html").Size}}|{{maybe "nope" 1}}|{{.ClientIP}}|{{.RemoteIP}}',
      'loop.html': '{{range $i, $e := list "a" "b" "c"}}{{if eq $e "c"}}{{break}}{{end}}{{$i}}{{$e}}{{end}}',
      'http.html': 'got: {{httpInclude "/part-static.txt"}}',
      'part-static.txt': 'static {{.Req.URL.Path}}',
      'cycle.html': '{{httpInclude "/cycle.html"}}',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, name), text);
    mkdirSync(path.join(root, 'dir'));
    writeFileSync(path.join(root, 'dir', 'only.txt'), 'x');
    process.env.TPL_TEST_VAR = 'from-env';
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              routes: [
                {
                  match: [{ path: ['/delims.html'] }],
                  handle: [
                    { handler: 'templates', delimiters: ['[[', ']]'] },
                    { handler: 'file_server', root },
                  ],
                  terminal: true,
                },
                {
                  match: [{ path: ['/headers.html'] }],
                  handle: [{ handler: 'headers', response: { set: { 'X-Gone': ['x'] } } }],
                },
                {
                  match: [{ path: ['/static-html'] }],
                  handle: [
                    { handler: 'templates' },
                    {
                      handler: 'static_response',
                      headers: { 'Content-Type': ['text/html'] },
                      body: '{{ .Req.Method }} {{ "static" }}',
                    },
                  ],
                  terminal: true,
                },
                {
                  handle: [{ handler: 'vars', root }, { handler: 'templates' }, { handler: 'file_server', root }],
                },
              ],
              errors: {
                routes: [
                  {
                    match: [{ path: ['/forbidden.html', '/broken.html', '/parse.html', '/cycle.html'] }],
                    handle: [
                      {
                        handler: 'static_response',
                        status_code: '{http.error.status_code}',
                        body: 'handled {http.error.status_code}: {http.error.message}',
                      },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    rmSync(root, { recursive: true, force: true });
    delete process.env.TPL_TEST_VAR;
  });

  it('executes HTML with the request context and drops the validators of the file', async () => {
    const r = await get(s.port(), '/index.html?q=x');
    expect(r.status).toBe(200);
    expect(r.body).toBe('<p>GET /index.html x localhost</p>');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.body)));
    expect(r.headers['last-modified']).toBeUndefined();
    expect(r.headers.etag).toBeUndefined();
    expect(r.headers['accept-ranges']).toBeUndefined();
  });

  it('executes text/plain but leaves other types alone', async () => {
    expect((await get(s.port(), '/page.txt')).body).toBe('plain X');
    const css = await get(s.port(), '/style.css');
    expect(css.body).toBe('{{ not a template }}');
    expect(css.headers.etag).toBeDefined();
  });

  it('runs the output of any handler, not only files', async () => {
    expect((await get(s.port(), '/static-html')).body).toBe('GET static');
  });

  it('includes files with arguments and imports definitions', async () => {
    expect((await get(s.port(), '/inc.html')).body).toBe('part one 2|hi you');
  });

  it('reads and changes header fields and cookies', async () => {
    const r = await get(s.port(), '/headers.html', { headers: { 'X-In': 'in', Cookie: 'c=cookie' } });
    expect(r.body).toBe('in cookie');
    expect(r.headers['x-tpl']).toBe('set');
    expect(r.headers['x-gone']).toBeUndefined();
  });

  it('turns an execution error into a 500 with Go text/template message', async () => {
    const r = await get(s.port(), '/broken.html');
    expect(r.status).toBe(500);
    expect(r.body).toBe(
      'handled 500: template: /broken.html:1:9: executing "/broken.html" at <.Nope>: can\'t evaluate field Nope in type *templates.TemplateContext',
    );
  });

  it('closes the connection after an error left a longer Content-Length behind, as Go does', async () => {
    // No error route: the 500 goes out with file_server's Content-Length and no body, so the client must
    // see the connection end instead of waiting for the rest.
    const err = await get(s.port(), '/loop-broken.html', { headers: { Connection: 'keep-alive' } }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).not.toBe('timeout');
    expect(err).toBeDefined();
  });

  it('turns a parse error into a 500', async () => {
    const r = await get(s.port(), '/parse.html');
    expect(r.status).toBe(500);
    expect(r.body).toBe('handled 500: template: /parse.html:1: missing value for if');
  });

  it('passes an httpError status on', async () => {
    const r = await get(s.port(), '/forbidden.html');
    expect(r.status).toBe(403);
    // caddyhttp.Error(403, nil): the message is the status text.
    expect(r.body).toBe('handled 403: Forbidden');
  });

  it('splits front matter and renders Markdown', async () => {
    expect((await get(s.port(), '/fm.html')).body).toBe('Post|<h1 id="hello-there">Hello <em>there</em></h1>\n|x');
  });

  it('answers file questions from the site root', async () => {
    expect((await get(s.port(), '/files.html')).body).toBe('true false [only.txt] 2.0 kB');
  });

  it('reads placeholders and the environment', async () => {
    expect((await get(s.port(), '/ph.html?a=1')).body).toBe('/ph.html?a=1 GET from-env');
  });

  it("has current Caddy's functions: readFile, pathEscape, fileStat, maybe, .ClientIP", async () => {
    expect((await get(s.port(), '/current.html')).body).toBe(
      'part {{index .Args 0}} {{index .Args 1}}|a%20b%2Fc%3Fd|true part.html 40||127.0.0.1|127.0.0.1',
    );
    expect(s.logs.join('')).toContain('template function could not be found; ignoring invocation');
  });

  it('uses custom delimiters', async () => {
    expect((await get(s.port(), '/delims.html')).body).toBe('GET {{.Req.Method}}');
  });

  it('supports break in range', async () => {
    expect((await get(s.port(), '/loop.html')).body).toBe('0a1b');
  });

  it('includes the answer of a virtual request and stops request cycles', async () => {
    expect((await get(s.port(), '/http.html')).body).toBe('got: static /part-static.txt');
    const cycle = await get(s.port(), '/cycle.html');
    expect(cycle.status).toBe(500);
    // The innermost request stops the cycle; each one around it fails on the 500 it got.
    expect(cycle.body).toContain('error calling httpInclude: http 500');
    expect(s.logs.join('')).toContain('error calling httpInclude: virtual request cycle');
  });

  it('runs HEAD requests on the empty body, as Caddy does', async () => {
    const r = await get(s.port(), '/index.html', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('0');
  });
});

describe('templates config', () => {
  it('refuses delimiters that are not a pair', async () => {
    await expect(
      start({
        apps: {
          http: {
            servers: {
              srv0: {
                listen: ['127.0.0.1:0'],
                routes: [{ handle: [{ handler: 'templates', delimiters: ['[['] }] }],
              },
            },
          },
        },
      }),
    ).rejects.toThrow('delimiters must consist of exactly two elements: opening and closing');
  });
});
