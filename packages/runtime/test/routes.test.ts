import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

const respond = (body: string, status?: number) => ({
  handler: 'static_response',
  body,
  ...(status ? { status_code: status } : {}),
});

describe('routes and matchers', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              routes: [
                {
                  match: [{ host: ['*.wild.test'] }],
                  handle: [respond('wild {http.request.host.labels.2}')],
                  terminal: true,
                },
                { match: [{ path: ['/api/*'], method: ['POST'] }], handle: [respond('api post')], terminal: true },
                {
                  match: [{ path_regexp: { name: 'ver', pattern: '^/v(\\d+)/' } }],
                  handle: [respond('version {http.regexp.ver.1}')],
                  terminal: true,
                },
                { match: [{ header: { 'X-Mode': ['bet*'] } }], handle: [respond('header beta')], terminal: true },
                {
                  match: [{ header_regexp: { 'User-Agent': { name: 'ua', pattern: 'curl/(\\d+)' } } }],
                  handle: [respond('curl {http.regexp.ua.1}')],
                  terminal: true,
                },
                { match: [{ query: { debug: ['1'] } }], handle: [respond('debug')], terminal: true },
                { match: [{ remote_ip: { ranges: ['10.0.0.0/8'] } }], handle: [respond('ten')], terminal: true },
                {
                  match: [{ path: ['/local'], client_ip: { ranges: ['127.0.0.0/8', '::1'] } }],
                  handle: [respond('local {http.request.remote.host}')],
                  terminal: true,
                },
                { match: [{ path: ['*.php'] }], handle: [respond('php')], terminal: true },
                {
                  match: [{ path: ['/not'], not: [{ method: ['GET'] }] }],
                  handle: [respond('not get')],
                  terminal: true,
                },
                { match: [{ protocol: 'https' }], handle: [respond('https?')], terminal: true },
                {
                  group: 'g',
                  match: [{ path: ['/group*'] }],
                  handle: [{ handler: 'headers', response: { set: { 'X-G': ['first'] } } }],
                },
                {
                  group: 'g',
                  match: [{ path: ['/group*'] }],
                  handle: [{ handler: 'headers', response: { set: { 'X-G': ['second'] } } }],
                },
                { match: [{ path: ['/group*'] }], handle: [respond('group')], terminal: true },
                {
                  match: [{ path: ['/vars'] }],
                  handle: [{ handler: 'vars', greeting: 'hi {http.request.method}' }, respond('{http.vars.greeting}')],
                  terminal: true,
                },
                {
                  match: [{ path: ['/map/*'] }],
                  handle: [
                    {
                      handler: 'map',
                      source: '{http.request.uri.path}',
                      destinations: ['{color}'],
                      mappings: [
                        { input: '/map/a', outputs: ['red'] },
                        { input_regexp: '^/map/(.+)$', outputs: ['re-${1}'] },
                      ],
                      defaults: ['none'],
                    },
                    respond('{color}'),
                  ],
                  terminal: true,
                },
                { match: [{ path: ['/old/*'] }], handle: [{ handler: 'rewrite', strip_path_prefix: '/old' }] },
                {
                  match: [{ path: ['/new/*'] }],
                  handle: [respond('rewritten to {http.request.uri} from {http.request.orig_uri}')],
                  terminal: true,
                },
                {
                  match: [{ path: ['/sub/*'] }],
                  handle: [
                    {
                      handler: 'subroute',
                      routes: [
                        { match: [{ path: ['/sub/a'] }], handle: [respond('sub a')] },
                        { handle: [{ handler: 'error', error: 'sub failed', status_code: 418 }] },
                      ],
                      errors: {
                        routes: [{ handle: [respond('sub error {http.error.status_code} {http.error.message}')] }],
                      },
                    },
                  ],
                },
                { match: [{ path: ['/boom'] }], handle: [{ handler: 'error', error: 'kaboom', status_code: 503 }] },
                { match: [{ path: ['/env'] }], handle: [respond('env {env.PROXY_TEST_VALUE}')], terminal: true },
                { match: [{ path: ['/empty'] }], handle: [] },
              ],
              errors: {
                routes: [
                  {
                    match: [{ path: ['/boom'] }],
                    handle: [respond('custom error {http.error.status_code}: {http.error.message}', 500)],
                  },
                ],
              },
            },
          },
        },
      },
    });
  });
  afterAll(() => s.close());

  const body = async (p: string, o: Parameters<typeof get>[2] = {}) => (await get(s.port(), p, o)).body;

  it('host wildcards match one label', async () => {
    expect(await body('/', { host: 'a.wild.test' })).toBe('wild a');
    expect(await body('/', { host: 'a.b.wild.test' })).not.toContain('wild');
  });
  it('path + method', async () => {
    expect(await body('/api/x', { method: 'POST' })).toBe('api post');
    expect(await body('/api/x')).not.toBe('api post');
  });
  it('path_regexp captures', async () => expect(await body('/v12/thing')).toBe('version 12'));
  it('header with globs and header_regexp', async () => {
    expect(await body('/', { headers: { 'X-Mode': 'beta2' } })).toBe('header beta');
    expect(await body('/', { headers: { 'User-Agent': 'curl/8.1' } })).toBe('curl 8');
  });
  it('query, remote_ip, client_ip', async () => {
    expect(await body('/?debug=1')).toBe('debug');
    expect(await body('/local')).toBe('local 127.0.0.1');
  });
  it('path suffix glob is case-insensitive', async () => expect(await body('/x/INDEX.PHP')).toBe('php'));
  it('not', async () => {
    expect(await body('/not', { method: 'PUT' })).toBe('not get');
    expect(await body('/not')).toBe('');
  });
  it('groups run only the first matching route', async () => {
    const r = await get(s.port(), '/group');
    expect(r.headers['x-g']).toBe('first');
    expect(r.body).toBe('group');
  });
  it('vars and map', async () => {
    expect(await body('/vars')).toBe('hi GET');
    expect(await body('/map/a')).toBe('red');
    expect(await body('/map/zz')).toBe('re-zz');
  });
  it('rewrite then later routes see the new URI', async () =>
    expect(await body('/old/new/x?q=1')).toBe('rewritten to /new/x?q=1 from /old/new/x?q=1'));
  it('subroute and its error routes', async () => {
    expect(await body('/sub/a')).toBe('sub a');
    const r = await get(s.port(), '/sub/b');
    // A respond without a status in an error route answers with the error's status, as Caddy does.
    expect(r.status).toBe(418);
    expect(r.body).toBe('sub error 418 sub failed');
  });
  it('server error routes (handle_errors)', async () => {
    const r = await get(s.port(), '/boom');
    expect(r.status).toBe(500);
    expect(r.body).toBe('custom error 503: kaboom');
  });
  it('env placeholders and empty 200 when nothing responds', async () => {
    expect(await body('/env')).toBe('env ');
    const r = await get(s.port(), '/empty');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
  });
});
