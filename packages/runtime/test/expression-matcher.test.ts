import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '@proxy/runtime';
import { get, start, type Started } from './helpers.js';

const respond = (body: string, status?: number) => ({
  handler: 'static_response',
  body,
  ...(status ? { status_code: status } : {}),
});

/** A route answering `body` when the expression matches. */
const when = (expression: unknown, body: string) => ({
  match: [{ expression }],
  handle: [respond(body)],
  terminal: true,
});

const server = (routes: unknown[], extra: Record<string, unknown> = {}) => ({
  apps: {
    http: {
      servers: { srv0: { listen: ['127.0.0.1:0'], automatic_https: { disable: true }, routes, ...extra } },
    },
  },
});

describe('expression matcher: placeholders, CEL and matcher functions', () => {
  let s: Started;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'cel-files-'));
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs', 'page.html'), 'x');
    s = await start(
      server([
        { handle: [{ handler: 'vars', n: 5, flag: true, name: 'bob', root }] },
        // placeholders, typed as Caddy's replacer gives them
        when('{http.request.uri.path} == "/ph" && {http.request.method} == "GET"', 'placeholder'),
        when('{http.request.uri.path} == "/vars" && {http.vars.n} > 4.5 && {http.vars.flag}', 'vars typed'),
        when('{http.request.uri.path} == "/port" && {http.request.port} > 1000', 'port is an int'),
        when('{http.request.uri.path} == "/null" && {http.vars.missing} == null', 'unset var is null'),
        when('{http.request.uri.path} == "/hdr" && {http.request.header.X-Num}.startsWith("4")', 'header string'),
        // 2.6.2's spelling of the placeholder function and the request variable
        when('caddyPlaceholder(request, "http.request.uri.path") == "/old"', 'old spelling'),
        when('ph(req, "http.request.uri.path") == "/new"', 'new spelling'),
        // matches() uses Go regexps
        when('{http.request.uri.path}.matches("(?i)^/CASE$")', 'go regexp'),
        // string extensions
        when(
          '{http.request.uri.path}.charAt(1) == "z" && {http.request.uri.path}.replace("z", "y", 1) == "/yz"',
          'ext',
        ),
        // matcher functions
        when("path('/p1', '/p2/*')", 'path()'),
        when("host('cel.test') && path('/host')", 'host()'),
        when("method('PUT', 'DELETE')", 'method()'),
        when("path('/hdrm') && header({'X-A': 'b*', 'X-C': ['d', 'e']})", 'header()'),
        when("path('/q') && query({'k': ['1', '2']})", 'query()'),
        when("protocol('http') && path('/proto')", 'protocol()'),
        when("remote_ip('127.0.0.0/8') && path('/rip')", 'remote_ip()'),
        when("client_ip('127.0.0.1') && path('/cip')", 'client_ip()'),
        when("vars({'name': ['alice', 'bob']}) && path('/vfn')", 'vars()'),
        when("vars_regexp('name', '^b(o)b$') && path('/vre')", 'vars_regexp() {http.regexp.1}'),
        when("header_regexp('X-Ver', 'v(\\\\d+)') && path('/hre')", 'header_regexp() {http.regexp.1}'),
        when("header_regexp('ua', 'User-Agent', 'tool/(\\\\d+)') && path('/hre3')", 'named {http.regexp.ua.1}'),
        {
          match: [{ expression: { expr: "path_regexp('^/re/(\\\\w+)$')", name: 'mine' } }],
          handle: [respond('path_regexp() {http.regexp.mine.1}')],
          terminal: true,
        },
        when("path_regexp('two', '^/re2/(\\\\d+)$')", 'named path_regexp() {http.regexp.two.1}'),
        when(
          `file({'root': '${root}', 'try_files': [{http.request.uri.path} + '.html']})`,
          'file() {http.matchers.file.relative}',
        ),
        when("path('/docs/*') && file()", 'file() without arguments'),
        when(`path('/const') && file({'root': '${root}', 'try_files': ['/docs/page.html']})`, 'constant file()'),
        // a matcher argument from a placeholder is built per request
        when("path('/dyn/' + {http.request.header.X-Seg})", 'dynamic path()'),
        // an evaluation error ends the request with a 500
        when('{http.request.uri.path} == "/err" && {http.request.header.X-Num} > 5', 'never'),
        { handle: [respond('none')] },
      ]),
    );
  });
  afterAll(async () => {
    await s?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const body = async (p: string, opts: Parameters<typeof get>[2] = {}) => (await get(s.port(), p, opts)).body;

  it('expands {placeholders} into typed values', async () => {
    expect(await body('/ph')).toBe('placeholder');
    expect(await body('/ph', { method: 'POST' })).toBe('none');
    expect(await body('/vars')).toBe('vars typed');
    expect(await body('/port', { host: 'localhost:8080' })).toBe('port is an int');
    // Without a port the value stays the string "", which does not compare with an int: an error, as in Caddy.
    expect((await get(s.port(), '/port', { host: 'localhost' })).status).toBe(500);
    expect(await body('/null')).toBe('unset var is null');
    expect(await body('/hdr', { headers: { 'X-Num': '42' } })).toBe('header string');
  });

  it("accepts 2.6.2's caddyPlaceholder(request, ...) and current ph(req, ...)", async () => {
    expect(await body('/old')).toBe('old spelling');
    expect(await body('/new')).toBe('new spelling');
  });

  it('evaluates matches() as a Go regexp and has the string extensions', async () => {
    expect(await body('/case')).toBe('go regexp');
    expect(await body('/zz')).toBe('ext');
  });

  it('calls the request matchers', async () => {
    expect(await body('/p1')).toBe('path()');
    expect(await body('/p2/x')).toBe('path()');
    expect(await body('/host', { host: 'cel.test' })).toBe('host()');
    expect(await body('/host')).toBe('none');
    expect(await body('/m', { method: 'DELETE' })).toBe('method()');
    expect(await body('/hdrm', { headers: { 'X-A': 'bee', 'X-C': 'e' } })).toBe('header()');
    expect(await body('/hdrm', { headers: { 'X-A': 'bee', 'X-C': 'f' } })).toBe('none');
    expect(await body('/q?k=2')).toBe('query()');
    expect(await body('/q?k=3')).toBe('none');
    expect(await body('/proto')).toBe('protocol()');
    expect(await body('/rip')).toBe('remote_ip()');
    expect(await body('/cip')).toBe('client_ip()');
    expect(await body('/vfn')).toBe('vars()');
    expect(await body('/vre')).toBe('vars_regexp() o');
    expect(await body('/hre', { headers: { 'X-Ver': 'v12' } })).toBe('header_regexp() 12');
    expect(await body('/hre3', { headers: { 'User-Agent': 'tool/7' } })).toBe('named 7');
    expect(await body('/docs/page')).toBe('file() /docs/page.html');
    expect(await body('/docs/none')).toBe('none');
    expect(await body('/const')).toBe('constant file()');
    expect(await body('/docs/page.html')).toBe('file() without arguments');
    expect(await body('/docs/missing.html')).toBe('none');
  });

  it('names unnamed regexps after the matcher set, as current Caddy does', async () => {
    expect(await body('/re/abc')).toBe('path_regexp() abc');
    expect(await body('/re2/42')).toBe('named path_regexp() 42');
  });

  it('builds a matcher from placeholder arguments per request', async () => {
    expect(await body('/dyn/a', { headers: { 'X-Seg': 'a' } })).toBe('dynamic path()');
    expect(await body('/dyn/a', { headers: { 'X-Seg': 'b' } })).toBe('none');
  });

  it('answers 500 and logs when evaluation fails, and keeps serving', async () => {
    const res = await get(s.port(), '/err', { headers: { 'X-Num': '7' } });
    expect(res.status).toBe(500);
    expect(s.logs.some((l) => l.includes('evaluating expression') && l.includes('no such overload'))).toBe(true);
    expect(await body('/ph')).toBe('placeholder');
  });
});

describe('expression matcher: config errors name the expression', () => {
  const errorOf = async (expression: unknown) => {
    const errs = await validateConfig({ admin: { disabled: true }, ...server([when(expression, 'x')]) });
    expect(errs).toHaveLength(1);
    expect(errs[0]!.path).toBe('apps.http.servers.srv0.routes[0].match[0].expression');
    return errs[0]!.message;
  };

  it('accepts valid expressions in both JSON forms', async () => {
    const cfg = server([when('{http.request.uri.path} == "/"', 'a'), when({ expr: "path('/x')", name: 'n' }, 'b')]);
    expect(await validateConfig({ admin: { disabled: true }, ...cfg })).toEqual([]);
  });

  it('reports syntax errors with the column in the written expression', async () => {
    const msg = await errorOf('{http.request.uri.path} == ');
    expect(msg).toContain('compiling CEL program');
    expect(msg).toContain('{http.request.uri.path} == ');
  });

  it('reports a non-bool result', async () => {
    expect(await errorOf('{http.request.uri.path}')).toContain('expects return type of bool, not dyn');
    expect(await errorOf('1 + 2')).toContain('expects return type of bool, not int');
  });

  it('reports unknown functions and variables', async () => {
    expect(await errorOf('nope(1)')).toContain("found no matching overload for 'nope(int)'");
    expect(await errorOf('x == 1')).toContain('Unknown variable: x');
  });

  it('reports bad matcher function arguments as Caddy checks them', async () => {
    expect(await errorOf('path(1)')).toContain('matcher arguments must be string constants');
    expect(await errorOf('header("x")')).toContain('matcher requires a map literal argument');
    expect(await errorOf('header({"a": 1})')).toContain('matcher map values must be string or list literals');
    expect(await errorOf('protocol(1)')).toContain('matcher argument must be a string literal');
    expect(await errorOf('file({"bogus": "x"})')).toContain('matcher requires either a map or string literal');
    expect(await errorOf('remote_ip("forwarded")')).toContain("'forwarded' option is no longer supported");
  });

  it('reports what the built matchers reject', async () => {
    expect(await errorOf('remote_ip("not-an-ip")')).toContain('remote_ip(): invalid IP or CIDR');
    expect(await errorOf('path_regexp("(")')).toContain('invalid regular expression');
    expect(await errorOf('"a".matches("(")')).toContain('invalid regular expression "("');
  });

  it('rejects a JSON value that is neither a string nor {expr, name}', async () => {
    const errs = await validateConfig({ admin: { disabled: true }, ...server([when(5, 'x')]) });
    expect(errs[0]!.message).toContain('a CEL expression or {expr, name}');
  });
});

describe('expression matcher in error routes (current Caddy adapts `handle_errors 404 410` to one)', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start(
      server(
        [
          { match: [{ path: ['/404'] }], handle: [{ handler: 'error', status_code: 404 }] },
          { match: [{ path: ['/410'] }], handle: [{ handler: 'error', status_code: 410 }] },
          { match: [{ path: ['/503'] }], handle: [{ handler: 'error', status_code: 503 }] },
          { handle: [{ handler: 'error', status_code: 403 }] },
        ],
        {
          errors: {
            routes: [
              when('{http.error.status_code} in [404, 410]', 'missing {http.error.status_code}'),
              when('{http.error.status_code} >= 500 && {http.error.status_code} <= 599', 'server error'),
              when('{http.error.status_code} == "403"', 'never: an int is not a string'),
            ],
          },
        },
      ),
    );
  });
  afterAll(() => s?.close());

  it('compares the status code as an int', async () => {
    expect((await get(s.port(), '/404')).body).toBe('missing 404');
    expect((await get(s.port(), '/410')).body).toBe('missing 410');
    expect((await get(s.port(), '/503')).body).toBe('server error');
    const other = await get(s.port(), '/other');
    expect(other.status).toBe(403);
    expect(other.body).toBe('');
  });
});
