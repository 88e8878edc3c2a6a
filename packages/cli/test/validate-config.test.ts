import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/validate-config.js';

describe('validateConfig', () => {
  it('accepts adapted configs', () => {
    expect(
      validateConfig({
        apps: { http: { servers: { srv0: { listen: [':80'], routes: [{ handle: [{ handler: 'vars' }] }] } } } },
      }),
    ).toEqual([]);
  });
  it('reports problems by JSON path', () => {
    expect(
      validateConfig({
        nope: 1,
        apps: { web: {}, http: { servers: { s: { listen: [''], routes: [{ handle: [{}] }] } } } },
      }),
    ).toEqual([
      'nope: unknown top-level field',
      'apps.web: unknown app module',
      'apps.http.servers.s.listen: must be a list of network addresses',
      'apps.http.servers.s.routes[0].handle[0]: a handler needs a "handler" module name',
    ]);
  });
});
