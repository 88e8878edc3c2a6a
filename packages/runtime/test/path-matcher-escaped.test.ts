import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

// Caddy's own MatchPath cases (matchers_test.go) for patterns with "%", which compare in escaped space.
const cases: Array<[pattern: string, path: string, match: boolean]> = [
  ['/foo//*', '/foo/%2Fbar', true],
  ['/foo/%2F*', '/foo/%2Fbar', true],
  ['/foo/%2F*', '/foo//bar', false],
  ['/foo/%*//bar', '/foo///bar', true],
  ['/foo/%*//bar', '/foo//%2Fbar', true],
  ['/%25@.txt', '/%25@.txt', true],
  ['/%25@.txt', '/%25%40.txt', true],
  ['/%25%40.txt', '/%25%40.txt', true],
  ['/bands/*/*', '/bands/AC%2FDC/T.N.T', false],
  ['/bands/%*/%*', '/bands/AC%2FDC/T.N.T', true],
  ['/bands/%*/%*', '/bands/AC/DC/T.N.T', false],
  ['/bands/%*', '/bands/AC/DC', false],
  ['/bands/%*', '/bands/AC%2FDC', true],
  ['/foo%2fbar/baz', '/foo%2Fbar/baz', true],
  ['/foo%2fbar/baz', '/foo/bar/baz', false],
  ['/foo/bar/baz', '/foo%2fbar/baz', true],
  ['/a%2Fb', '/a%2fb', true],
  ['/a%2Fb', '/a/b', false],
];

describe('path matcher with escaped patterns', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                ...cases.map(([pattern], i) => ({
                  match: [{ path: [pattern], header: { 'X-Case': [String(i)] } }],
                  handle: [{ handler: 'static_response', body: 'yes' }],
                  terminal: true,
                })),
                { handle: [{ handler: 'static_response', body: 'no' }] },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(() => s.close());

  it.each(cases.map((c, i) => [...c, i] as const))('%s against %s: %s', async (_pattern, path, match, i) => {
    const r = await get(s.port(), path, { headers: { 'X-Case': String(i) } });
    expect(r.body).toBe(match ? 'yes' : 'no');
  });
});
