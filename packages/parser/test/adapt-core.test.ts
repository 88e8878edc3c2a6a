import { describe, expect, it } from 'vitest';
import { stringifyConfig } from '@proxy/parser';
import { at, cfg, errOf, routes } from './adapt-helpers.js';

describe('site addresses and servers', () => {
  it('groups sites by listener and names servers by sorted address', () => {
    const c = cfg(':8080 {\n\trespond a\n}\n:80 {\n\trespond b\n}\nexample.com {\n\trespond c\n}\n');
    expect(Object.keys(at(c, 'apps.http.servers') as object)).toEqual(['srv0', 'srv1', 'srv2']);
    expect(at(c, 'apps.http.servers.srv0.listen')).toEqual([':443']);
    expect(at(c, 'apps.http.servers.srv1.listen')).toEqual([':80']);
    expect(at(c, 'apps.http.servers.srv2.listen')).toEqual([':8080']);
  });
  it('normalizes IPv6 hosts and lower-cases outside placeholders', () => {
    const c = cfg('http://[0:0::1]:8080, HTTP://Example.COM:8080 {\n\trespond x\n}\n');
    expect(at(c, 'apps.http.servers.srv0.routes.0.match.0.host')).toEqual(['::1', 'example.com']);
  });
  it('reports bad ports and schemes with Caddy wording', () => {
    expect(errOf('example.com:99999 {\n}\n')).toContain('port 99999 is out of range');
    expect(errOf('example.com:abc {\n}\n')).toContain("invalid port 'abc'");
    expect(errOf('ftp://example.com {\n}\n')).toContain('unsupported URL scheme ftp://');
    expect(errOf('ws://example.com {\n}\n')).toContain(
      'the scheme ws:// is only supported in browsers; use http:// instead',
    );
    expect(errOf('http://example.com:443 {\n}\n')).toContain('scheme and port violate convention');
  });
  it('rejects matchers outside sites and directives as addresses', () => {
    expect(errOf('respond {\n}\n')).toContain("parsed 'respond' as a site address, but it is a known directive");
  });
  it('hints at missing braces for unknown directives in brace-less sites', () => {
    expect(errOf('example.com\nrespond hi\nother.com\n')).toContain('Did you mean to define a second site?');
  });
  it('sorts more specific hosts first and catch-alls last', () => {
    const c = cfg(':443 {\n\trespond a\n}\n*.example.com {\n\trespond b\n}\nwww.example.com {\n\trespond c\n}\n');
    const hosts = routes(c).map((r) => at(r, 'match.0.host'));
    expect(hosts).toEqual([['www.example.com'], ['*.example.com'], undefined]);
  });
  it('detects ambiguous sites on one listener', () => {
    expect(errOf(':8080 {\n}\n:8080 {\n}\n')).toContain('ambiguous site definition: :8080');
  });
  it('binds to the addresses of bind, with protocols', () => {
    const c = cfg(':8080 {\n\tbind 127.0.0.1 [::1] {\n\t\tprotocols h1 h2\n\t}\n\trespond x\n}\n');
    expect(at(c, 'apps.http.servers.srv0.listen')).toEqual(['127.0.0.1:8080', '[::1]:8080']);
    expect(at(c, 'apps.http.servers.srv0.listen_protocols')).toEqual([
      ['h1', 'h2'],
      ['h1', 'h2'],
    ]);
  });
  it('skips automatic HTTPS for http:// hosts on non-HTTP ports', () => {
    const c = cfg('http://a.com:8080 {\n\trespond x\n}\n');
    expect(at(c, 'apps.http.servers.srv0.automatic_https')).toEqual({ skip: ['a.com'] });
  });
  it('detects mixed HTTP and HTTPS on one listener', () => {
    expect(errOf('http://a.com:8443 {\n}\nhttps://b.com:8443 {\n}\n')).toContain(
      'cannot natively multiplex HTTP and HTTPS',
    );
  });
});

describe('respond, abort, error, redir', () => {
  it('respond: status only, body and status, block', () => {
    expect(at(routes(cfg(':80 {\n\trespond 404\n}\n'))[0], 'handle.0')).toEqual({
      handler: 'static_response',
      status_code: 404,
    });
    expect(at(routes(cfg(':80 {\n\trespond "hi" 201\n}\n'))[0], 'handle.0')).toEqual({
      body: 'hi',
      handler: 'static_response',
      status_code: 201,
    });
    expect(at(routes(cfg(':80 {\n\trespond 200 {\n\t\tbody x\n\t\tclose\n\t}\n}\n'))[0], 'handle.0')).toEqual({
      body: 'x',
      close: true,
      handler: 'static_response',
      status_code: 200,
    });
    expect(errOf(':80 {\n\trespond\n}\n')).toContain("wrong argument count or unexpected line ending after 'respond'");
    expect(errOf(':80 {\n\trespond a 200 {\n\t\tbody b\n\t}\n}\n')).toContain('body already specified');
    expect(errOf(':80 {\n\trespond 200 {\n\t\tnope\n\t}\n}\n')).toContain("unrecognized subdirective 'nope'");
  });
  it('respond keeps a placeholder status as a string', () => {
    expect(at(routes(cfg(':80 {\n\trespond "x" {http.error.status_code}\n}\n'))[0], 'handle.0.status_code')).toBe(
      '{http.error.status_code}',
    );
  });
  it('abort takes no arguments', () => {
    expect(at(routes(cfg(':80 {\n\tabort\n}\n'))[0], 'handle.0')).toEqual({ abort: true, handler: 'static_response' });
    expect(errOf(':80 {\n\tabort now\n}\n')).toContain('wrong argument count');
  });
  it('error: message, status, block', () => {
    expect(at(routes(cfg(':80 {\n\terror 403\n}\n'))[0], 'handle.0')).toEqual({ handler: 'error', status_code: 403 });
    expect(at(routes(cfg(':80 {\n\terror 500 {\n\t\tmessage boom\n\t}\n}\n'))[0], 'handle.0')).toEqual({
      error: 'boom',
      handler: 'error',
      status_code: 500,
    });
    expect(errOf(':80 {\n\terror\n}\n')).toContain("wrong argument count or unexpected line ending after 'error'");
  });
  it('redir: codes, html, validation', () => {
    expect(at(routes(cfg(':80 {\n\tredir https://x.com permanent\n}\n'))[0], 'handle.0')).toEqual({
      handler: 'static_response',
      headers: { Location: ['https://x.com'] },
      status_code: 301,
    });
    expect(at(routes(cfg(':80 {\n\tredir https://x.com\n}\n'))[0], 'handle.0.status_code')).toBe(302);
    expect(at(routes(cfg(':80 {\n\tredir * https://x.com 401\n}\n'))[0], 'handle.0.status_code')).toBe(401);
    // A first argument starting with '/' is a path matcher, as in Caddy.
    const m = routes(cfg(':80 {\n\tredir /old /new permanent\n}\n'))[0];
    expect(at(m, 'match.0.path')).toEqual(['/old']);
    expect(at(m, 'handle.0.headers')).toEqual({ Location: ['/new'] });
    expect(errOf(':80 {\n\tredir /x\n}\n')).toContain("wrong argument count or unexpected line ending after 'redir'");
    const html = at(routes(cfg(':80 {\n\tredir * "/a?b=1&c" html\n}\n'))[0], 'handle.0') as Record<string, unknown>;
    expect(html['status_code']).toBe(200);
    expect(html['headers']).toEqual({ 'Content-Type': ['text/html; charset=utf-8'] });
    expect(html['body']).toContain('window.location.replace("/a?b=1&amp;c")');
    expect(errOf(':80 {\n\tredir * /x 200\n}\n')).toContain("Redir code not in the 3xx range or 401: '200'");
    expect(errOf(':80 {\n\tredir * /x nope\n}\n')).toContain('Not a supported redir code type or not valid integer');
  });
});

describe('root, fs, vars-like directives', () => {
  it('root with and without a matcher', () => {
    const c = cfg(':80 {\n\troot /srv\n\troot /api/* /srv/api\n}\n');
    expect(routes(c)).toEqual([
      { group: 'group1', match: [{ path: ['/api/*'] }], handle: [{ handler: 'vars', root: '/srv/api' }] },
      { group: 'group1', handle: [{ handler: 'vars', root: '/srv' }] },
    ]);
    expect(errOf(':80 {\n\troot\n}\n')).toContain('too few arguments');
    expect(errOf(':80 {\n\troot a b c\n}\n')).toContain('too many arguments');
  });
  it('fs sets the fs variable', () => {
    expect(at(routes(cfg(':80 {\n\tfs myfs\n}\n'))[0], 'handle.0')).toEqual({ fs: 'myfs', handler: 'vars' });
  });
});

describe('routing directives', () => {
  it('route keeps source order; handle sorts by directive order', () => {
    const r = cfg(':80 {\n\troute {\n\t\trespond a\n\t\tredir * /b\n\t}\n}\n');
    // Same (no) matchers, so the two routes are consolidated into one, in source order.
    expect(at(routes(r)[0], 'handle.0.routes.0.handle.0.body')).toBe('a');
    expect(at(routes(r)[0], 'handle.0.routes.0.handle.1.headers')).toEqual({ Location: ['/b'] });
    const h = cfg(':80 {\n\thandle {\n\t\trespond a\n\t\tredir * /b\n\t}\n}\n');
    expect(at(routes(h)[0], 'handle.0.routes.0.handle.0.headers')).toEqual({ Location: ['/b'] });
    expect(at(routes(h)[0], 'handle.0.routes.0.handle.1.body')).toBe('a');
  });
  it('handle_path strips the prefix first', () => {
    const c = cfg(':80 {\n\thandle_path /api/* {\n\t\trespond x\n\t}\n}\n');
    expect(routes(c)[0]).toEqual({
      match: [{ path: ['/api/*'] }],
      handle: [
        {
          handler: 'subroute',
          routes: [
            { handle: [{ handler: 'rewrite', strip_path_prefix: '/api' }] },
            { handle: [{ body: 'x', handler: 'static_response' }] },
          ],
        },
      ],
    });
    expect(errOf(':80 {\n\thandle_path api {\n\t}\n}\n')).toContain("path matcher must begin with '/', got api");
  });
  it('handle_errors with status codes and ranges', () => {
    const c = cfg(':80 {\n\thandle_errors 404 410 5xx {\n\t\trespond oops\n\t}\n}\n');
    expect(at(c, 'apps.http.servers.srv0.errors.routes.0.match.0.expression')).toBe(
      '{http.error.status_code} >= 500 && {http.error.status_code} <= 599 || {http.error.status_code} in [404, 410]',
    );
    expect(errOf(':80 {\n\thandle_errors 40 {\n\t}\n}\n')).toContain("bad status value '40'");
  });
  it('unordered directives must be in a route block', () => {
    expect(errOf('{\n\torder respond last\n}\n:80 {\n\tbind 127.0.0.1\n\trespond x\n}\n')).toBe('');
  });
  it('unknown nested directives are reported at the block', () => {
    expect(errOf(':80 {\n\thandle {\n\t\tnope\n\t}\n}\n')).toContain(
      'unrecognized directive: nope - are you sure your Caddyfile structure',
    );
  });
  it('named routes are added to servers that invoke them', () => {
    const c = cfg('&(app) {\n\trespond hi\n}\n:80 {\n\tinvoke app\n}\n');
    expect(at(c, 'apps.http.servers.srv0.named_routes')).toEqual({
      app: { handle: [{ body: 'hi', handler: 'static_response' }] },
    });
    expect(errOf(':80 {\n\tinvoke nope\n}\n')).toContain("cannot invoke named route 'nope', which was not defined");
  });
  it('consolidates adjacent routes with the same matchers', () => {
    const c = cfg(':80 {\n\trespond /a a\n\theader /a X-A 1\n}\n'.replace('header /a X-A 1', 'error /a 500'));
    expect(routes(c)).toHaveLength(1);
    expect((at(routes(c)[0], 'handle') as unknown[]).length).toBe(2);
  });
  it('sorts same-directive routes by path specificity', () => {
    const c = cfg(':80 {\n\trespond /a* a\n\trespond /abc b\n\trespond /a c\n\trespond d\n}\n');
    expect(routes(c).map((r) => at(r, 'match.0.path.0') ?? '*')).toEqual(['/abc', '/a', '/a*', '*']);
  });
});

describe('order option', () => {
  it('moves a directive first, last, before or after another', () => {
    const c = cfg('{\n\torder redir after respond\n}\n:80 {\n\tredir * /x\n\trespond /y y\n}\n');
    expect(routes(c).map((r) => at(r, 'match.0.path.0'))).toEqual(['/y', undefined]);
    expect(errOf('{\n\torder nope first\n}\n')).toContain('nope is not a registered directive');
    expect(errOf('{\n\torder respond before nope\n}\n')).toContain("directive 'nope' not found");
    expect(errOf('{\n\torder respond sideways\n}\n')).toContain("unknown positional 'sideways'");
  });
  it('does not leak between adaptations', () => {
    cfg('{\n\torder redir last\n}\n:80 {\n\tredir * /x\n}\n');
    const c = cfg(':80 {\n\tredir * /x\n\trespond /y y\n}\n');
    expect(at(routes(c)[0], 'handle.0.headers')).toEqual({ Location: ['/x'] });
  });
});

describe('matchers', () => {
  it('canonicalizes header names and merges values', () => {
    const c = cfg(
      ':80 {\n\t@h {\n\t\theader content-type text/html\n\t\theader Content-Type text/plain\n\t}\n\trespond @h x\n}\n',
    );
    expect(at(routes(c)[0], 'match.0.header')).toEqual({ 'Content-Type': ['text/html', 'text/plain'] });
  });
  it('names regexps after the definition and keeps explicit names', () => {
    const c = cfg(':80 {\n\t@r path_regexp ^/x(.*)$\n\t@s path_regexp n ^/y$\n\trespond @r a\n\trespond @s b\n}\n');
    expect(at(routes(c)[0], 'match.0.path_regexp')).toEqual({ name: 'r', pattern: '^/x(.*)$' });
    expect(at(routes(c)[1], 'match.0.path_regexp')).toEqual({ name: 'n', pattern: '^/y$' });
  });
  it('file, protocol, tls and not matchers', () => {
    const c = cfg(
      ':80 {\n\t@f {\n\t\tfile {\n\t\t\ttry_files {path} /index.html\n\t\t\tsplit_path .php\n\t\t}\n\t\tprotocol https\n\t\ttls early_data\n\t\tnot path /x /y\n\t}\n\trespond @f x\n}\n',
    );
    expect(at(routes(c)[0], 'match.0')).toEqual({
      file: { try_files: ['{http.request.uri.path}', '/index.html'], split_path: ['.php'] },
      not: [{ path: ['/x', '/y'] }],
      protocol: 'https',
      tls: { handshake_complete: false },
    });
  });
  it('reports unknown matcher names and duplicate definitions', () => {
    expect(errOf(':80 {\n\trespond @nope x\n}\n')).toContain('unrecognized matcher name: @nope');
    expect(errOf(':80 {\n\t@a path /a\n\t@a path /b\n}\n')).toContain('matcher is defined more than once: @a');
    expect(errOf(':80 {\n\t@a bogus x\n\trespond @a x\n}\n')).toContain("getting matcher module 'bogus'");
    expect(errOf(':80 {\n\t@a header Foo\n\trespond @a x\n}\n')).toContain(
      'malformed header matcher: expected both field and value',
    );
    expect(errOf(':80 {\n\t@a query foo\n\trespond @a x\n}\n')).toContain('malformed query matcher token');
  });
  it('expands placeholder shorthands in site blocks', () => {
    const c = cfg(':80 {\n\trespond "{host} {header.X-Id} {re.name.1} {vars.v} {?query}"\n}\n');
    expect(at(routes(c)[0], 'handle.0.body')).toBe(
      '{http.request.host} {http.request.header.X-Id} {http.regexp.name.1} {http.vars.v} {http.request.uri.prefixed_query}',
    );
  });
});

describe('JSON encoding', () => {
  it('escapes HTML characters as Go does', () => {
    expect(stringifyConfig({ a: '<&>' })).toBe('{"a":"\\u003c\\u0026\\u003e"}');
  });
});
