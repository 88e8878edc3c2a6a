import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig, ConfigError } from '@proxy/runtime';

const srv = (routes: unknown[], extra: Record<string, unknown> = {}) => ({
  admin: { disabled: true },
  apps: { http: { servers: { srv0: { listen: ['127.0.0.1:0'], routes, ...extra } } } },
});

describe('validation names JSON paths', () => {
  it('accepts a valid config', async () => {
    expect(
      await validateConfig(
        srv([{ match: [{ host: ['a.test'], path: ['/x*'] }], handle: [{ handler: 'static_response', body: 'x' }] }]),
      ),
    ).toEqual([]);
  });

  it('reports an unknown handler module', async () => {
    const errs = await validateConfig(
      srv([{ handle: [{ handler: 'static_response' }] }, { handle: [] }, { handle: [{ handler: 'foo' }] }]),
    );
    expect(errs).toEqual([
      {
        path: 'apps.http.servers.srv0.routes[2].handle[0].handler',
        message: expect.stringContaining('unknown module "foo"'),
      },
    ]);
  });

  it('reports unknown fields and wrong types', async () => {
    const errs = await validateConfig(
      srv([{ handle: [{ handler: 'static_response', status_code: [200], bodyy: 'x' }] }]),
    );
    expect(errs.map((e) => e.path).sort()).toEqual([
      'apps.http.servers.srv0.routes[0].handle[0].bodyy',
      'apps.http.servers.srv0.routes[0].handle[0].status_code',
    ]);
    expect(errs.find((e) => e.path.endsWith('bodyy'))!.message).toContain('unknown field');
    expect(errs.find((e) => e.path.endsWith('status_code'))!.message).toContain('expected an integer or a string');
  });

  it('reports unknown matchers, and expression matchers by their compile error', async () => {
    const errs = await validateConfig(srv([{ match: [{ hostt: ['x'] }], handle: [] }]));
    expect(errs.map((e) => e.path)).toEqual(['apps.http.servers.srv0.routes[0].match[0].hostt']);
    const errs2 = await validateConfig(srv([{ match: [{ expression: '{path} ==' }], handle: [] }]));
    expect(errs2.map((e) => e.path)).toEqual(['apps.http.servers.srv0.routes[0].match[0].expression']);
    expect(errs2[0]!.message).toContain('compiling CEL program');
  });

  it('accepts reverse_proxy max_buffer_size, which the Caddyfile max_buffer_size subdirective emits', async () => {
    const rp = { handler: 'reverse_proxy', max_buffer_size: 1000, upstreams: [{ dial: '127.0.0.1:9' }] };
    expect(await validateConfig(srv([{ handle: [rp] }]))).toEqual([]);
  });

  it('reports known but unimplemented handlers as not supported yet', async () => {
    const errs = await validateConfig(srv([{ handle: [{ handler: 'push' }] }]));
    expect(errs[0]!.path).toBe('apps.http.servers.srv0.routes[0].handle[0].handler');
    expect(errs[0]!.message).toContain('not supported yet');
  });

  it('reports nested subroute paths and provisioning errors (bad regexp, bad listen address)', async () => {
    const errs = await validateConfig(
      srv([{ handle: [{ handler: 'subroute', routes: [{ match: [{ path_regexp: { pattern: '(' } }] }] }] }]),
    );
    expect(errs[0]!.path).toBe('apps.http.servers.srv0.routes[0].handle[0].routes[0].match[0].path_regexp');
    expect(errs[0]!.message).toContain('invalid regular expression');
    const errs2 = await validateConfig({ apps: { http: { servers: { a: { listen: ['127.0.0.1:99999'] } } } } });
    expect(errs2[0]!.path).toBe('apps.http.servers.a.listen[0]');
  });

  it('reports unknown apps and top-level fields', async () => {
    const errs = await validateConfig({ apps: { nope: {} }, bogus: 1 });
    expect(errs.map((e) => e.path).sort()).toEqual(['apps.nope', 'bogus']);
  });

  it('loadConfig rejects before binding any port, with every problem listed', async () => {
    const err = await loadConfig(
      srv([{ handle: [{ handler: 'foo' }, { handler: 'static_response', close: 'yes' }] }]),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(
      'apps.http.servers.srv0.routes[0].handle[0].handler: unknown module "foo"',
    );
    expect((err as ConfigError).message).toContain(
      'apps.http.servers.srv0.routes[0].handle[1].close: expected a boolean',
    );
  });

  it('rejects invalid durations', async () => {
    const errs = await validateConfig({ apps: { http: { grace_period: '5 parsecs', servers: {} } } });
    expect(errs).toEqual([{ path: 'apps.http.grace_period', message: 'invalid duration "5 parsecs"' }]);
  });
});
