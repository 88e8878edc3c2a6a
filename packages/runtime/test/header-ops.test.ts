/** The headers handler answers like Caddy (expected values from `caddy run` with the same JSON). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startServer, type Started } from './helpers.js';

describe('headers handler', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({
      routes: [
        {
          match: [{ path: ['/host'] }],
          handle: [
            { handler: 'headers', request: { add: { Host: ['added.example'] } } },
            { handler: 'static_response', body: '{http.request.host}' },
          ],
        },
        {
          handle: [
            { handler: 'headers', request: { add: { 'X-In': ['added'] }, set: { 'X-In2': ['{foo.bar}'] } } },
            {
              handler: 'headers',
              response: {
                deferred: true,
                add: { 'X-Add': ['a', '{http.request.header.x-in}'] },
                set: {
                  'X-Set': ['{http.request.header.x-in}|{foo.bar}|{http.vars.none}'],
                  'Multi-Set': ['one', 'two'],
                },
                delete: ['X-Del*'],
                replace: {
                  'X-Rep': [{ search_regexp: '(\\w+)-(\\w+)', replace: '$2 ${1} $$ $9 {foo.bar}' }],
                  'X-Plain': [{ search: 'o', replace: '0' }],
                  'x-lower': [{ search: 'a', replace: 'b' }],
                },
              },
            },
            { handler: 'headers', response: { require: { headers: { 'X-Def': null } }, set: { 'X-Def': ['dflt'] } } },
            { handler: 'headers', response: { require: { headers: { 'X-Has': null } }, set: { 'X-Has': ['dflt'] } } },
            {
              handler: 'headers',
              response: { require: { headers: { 'X-Has': ['or*'] } }, set: { 'X-Wild': ['yes'] } },
            },
            {
              handler: 'static_response',
              body: '{http.request.header.x-in} [{http.request.header.x-in2}]',
              headers: {
                'X-Rep': ['foo-bar', 'baz-qux'],
                'X-Plain': ['foo'],
                'X-Del-Me': ['1'],
                'X-Has': ['orig'],
                'X-Lower': ['aaa'],
              },
            },
          ],
        },
      ],
    });
  });
  afterAll(() => s.close());

  it('adds, sets (several values joined), deletes by pattern, replaces with Go expansion; unknown placeholders stay', async () => {
    const r = await get(s.port(), '/', { headers: { 'X-In': 'in1' } });
    expect(r.body).toBe('in1,added [{foo.bar}]');
    expect(r.headers['x-add']).toBe('a, in1,added');
    expect(r.headers['x-set']).toBe('in1,added|{foo.bar}|');
    expect(r.headers['multi-set']).toBe('one,two');
    expect(r.headers['x-del-me']).toBeUndefined();
    expect(r.headers['x-rep']).toBe('bar foo $  {foo.bar}, qux baz $  {foo.bar}');
    expect(r.headers['x-plain']).toBe('f00');
    expect(r.headers['x-lower']).toBe('bbb');
  });

  it('require: absent fields, and value patterns with "*"', async () => {
    const r = await get(s.port(), '/');
    expect(r.headers['x-def']).toBe('dflt');
    expect(r.headers['x-has']).toBe('orig');
    expect(r.headers['x-wild']).toBe('yes');
  });

  it('the last Host value after request ops is the request host', async () => {
    expect((await get(s.port(), '/host', { host: 'orig.example' })).body).toBe('added.example');
  });
});
