/** Rewrites leave the request URI exactly as Caddy does (the expected values come from `caddy run`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startServer, type Started } from './helpers.js';

const route = (prefix: string, ...handle: Array<Record<string, unknown>>) => ({
  match: [{ path: [`${prefix}*`] }],
  handle,
});
const rewrite = (o: Record<string, unknown>) => ({ handler: 'rewrite', ...o });

describe('rewrite', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({
      routes: [
        { handle: [{ handler: 'vars', q: 'a b&c' }] },
        route('/q1', rewrite({ uri: '/q2?{http.request.uri.query}&added=1' })),
        route('/q3', rewrite({ uri: '?a=b&{http.request.uri.query}' })),
        route(
          '/q4',
          rewrite({
            uri: '{http.request.uri.path}?{http.request.uri.query}&v={http.vars.q}&n={http.vars.nope}&u={foo.bar}&{http.vars.q}',
          }),
        ),
        route('/q5', rewrite({ uri: '/q5x?' })),
        route('/q6', rewrite({ uri: '/q6/{http.vars.q}#frag' })),
        route('/q7', rewrite({ uri: '{http.request.uri}&z=1' })),
        route('/q8', rewrite({ uri: '/c2?x={http.request.uri.query}&{http.request.uri.query}=y&=&&k' })),
        route('/inj', rewrite({ uri: '/x{http.request.uri.path}?' })),
        route('/bare', rewrite({ uri: '?' })),
        route('/keep', rewrite({ uri: '{http.request.uri.path}?{http.request.uri.query}' })),
        route('/api', rewrite({ strip_path_prefix: '/api' })),
        route('/API', rewrite({ strip_path_prefix: '/api' })),
        {
          match: [{ path_regexp: { name: 'ver', pattern: '^/v[0-9]+' } }],
          handle: [rewrite({ strip_path_prefix: '{http.regexp.ver.0}' })],
        },
        route('/html', rewrite({ strip_path_suffix: '.html' })),
        route('/d', rewrite({ uri_substring: [{ find: '/', replace: '_', limit: 2 }] })),
        route('/e', rewrite({ path_regexp: [{ find: '(?i)E(\\d)', replace: 'X$1$$' }] })),
        route('/r', rewrite({ path_regexp: [{ find: '^/r/(\\w+)', replace: '/R/$1/${1}x' }] })),
        route(
          '/qo',
          rewrite({
            query: { add: [{ key: 't', val: 'a~*b c' }], delete: ['gone'], rename: [{ key: 'old', val: 'new' }] },
          }),
        ),
        {
          handle: [
            {
              handler: 'static_response',
              body: '{http.request.method} {http.request.uri} | {http.request.uri.path} | {http.request.uri.query}',
            },
          ],
        },
      ],
    });
  });
  afterAll(() => s.close());

  const uri = async (p: string): Promise<string> => (await get(s.port(), p)).body;

  it('drops the empty parts a missing query leaves', async () => {
    expect(await uri('/q1')).toBe('GET /q2?added=1 | /q2 | added=1');
    expect(await uri('/q1?x=1&y=%20')).toBe('GET /q2?x=1&y=%20&added=1 | /q2 | x=1&y=%20&added=1');
    expect(await uri('/q3')).toBe('GET /q3?a=b | /q3 | a=b');
    expect(await uri('/q3?x=1')).toBe('GET /q3?a=b&x=1 | /q3 | a=b&x=1');
    expect(await uri('/q5?a=1')).toBe('GET /q5x | /q5x | ');
    expect(await uri('/bare/x?x=1')).toBe('GET /bare/x | /bare/x | ');
  });

  it("escapes placeholder values in the query; unset ones print as Go's <nil>", async () => {
    expect(await uri('/q4?a=1')).toBe(
      'GET /q4?a=1&v=a+b%26c&n=%3Cnil%3E&u=%3Cnil%3E&a+b%26c | /q4 | a=1&v=a+b%26c&n=%3Cnil%3E&u=%3Cnil%3E&a+b%26c',
    );
    expect(await uri('/q8?p=1&q=%2F')).toBe(
      'GET /c2?x=p%3D1%26q%3D%252F&p=1&q=%2F=y=&k | /c2 | x=p%3D1%26q%3D%252F&p=1&q=%2F=y=&k',
    );
  });

  it("escapes the path, drops the fragment, and keeps a query that {http.request.uri} brings only as the path's", async () => {
    expect(await uri('/q6?a=1')).toBe('GET /q6/a%20b&c?a=1 | /q6/a b&c | a=1');
    expect(await uri('/q7?a=1')).toBe('GET /q7?a=1 | /q7 | a=1');
    expect(await uri('/q7')).toBe('GET /q7&z=1 | /q7&z=1 | ');
  });

  it('keeps the escaped form of the path and a lone "?"', async () => {
    expect(await uri('/keep/a%2Fb?x=1&y')).toBe('GET /keep/a%2Fb?x=1&y | /keep/a/b | x=1&y');
    expect(await uri("/keep/%C3%A9%20(x)!*'~?")).toBe("GET /keep/%C3%A9%20(x)!*'~? | /keep/é (x)!*'~ | ");
  });

  it('strips prefixes and suffixes after cleaning the path, case-insensitively and through escapes', async () => {
    expect(await uri('/api/x%2Fy?a=1')).toBe('GET /x%2Fy?a=1 | /x/y | a=1');
    expect(await uri('/API/u')).toBe('GET /u | /u | ');
    expect(await uri('/api/a/../b//c')).toBe('GET /b/c | /b/c | ');
    expect(await uri('/html/b.html?z')).toBe('GET /html/b?z | /html/b | z');
  });

  it('ensures the leading slash of a prefix after replacing its placeholders, as current Caddy', async () => {
    expect(await uri('/v12/x?a=1')).toBe('GET /x?a=1 | /x | a=1');
    expect(await uri('/v3')).toBe('GET / | / | ');
  });

  it('substring and regexp replacements follow Go (limits, $1, $$, placeholders in the replacement)', async () => {
    expect(await uri('/d/e/f/g?a/b')).toBe('GET _d_e/f/g?a_b | _d_e/f/g | a_b');
    expect(await uri('/e/e1/E2')).toBe('GET /e/X1$/X2$ | /e/X1$/X2$ | ');
    // "{1}" is an (unknown) placeholder, so "${1}x" is "$x": a group named x, absent.
    expect(await uri('/r/abc/def')).toBe('GET /R/abc//def | /R/abc//def | ');
  });

  it("query operations encode as Go's url.Values does", async () => {
    expect(await uri('/qo?z=1&old=2&gone=3')).toBe('GET /qo?new=2&t=a~%2Ab+c&z=1 | /qo | new=2&t=a~%2Ab+c&z=1');
  });

  it("a query that came from the request is not searched for placeholders (Caddy would evaluate the client's)", async () => {
    process.env['PROXY_REWRITE_SECRET'] = 'secret';
    try {
      expect(await uri('/inj%3Fk=%7Benv.PROXY_REWRITE_SECRET%7D%7Bsystem.os%7D')).toBe(
        'GET /x/inj?k={env.PROXY_REWRITE_SECRET}{system.os} | /x/inj | k={env.PROXY_REWRITE_SECRET}{system.os}',
      );
      // Nor is the path {http.request.uri} brings (Caddy puts it into the template before replacing).
      expect(await uri('/q7%7Bsystem.os%7D')).toBe('GET /q7%7Bsystem.os%7D&z=1 | /q7{system.os}&z=1 | ');
    } finally {
      delete process.env['PROXY_REWRITE_SECRET'];
    }
  });
});
