/** Log filters of current Caddy: set_cookie (the cookies of Set-Cookie headers) and multi_regexp. */
import { describe, expect, it } from 'vitest';
import { get, start } from './helpers.js';

describe('set_cookie and multi_regexp log filters', () => {
  it('replaces, hashes and deletes Set-Cookie cookies by name, and applies regexps in order', async () => {
    const s = await start({
      logging: {
        logs: {
          default: {
            encoder: {
              format: 'filter',
              wrap: { format: 'json' },
              fields: {
                'resp_headers>Set-Cookie': {
                  filter: 'set_cookie',
                  actions: [
                    { type: 'replace', name: 'sess', value: 'REDACTED' },
                    { type: 'hash', name: 'keep' },
                    { type: 'delete', name: 'gone' },
                  ],
                },
                'request>host': {
                  filter: 'multi_regexp',
                  operations: [
                    { regexp: '^(\\w+)\\.test$', value: '${1}.example' },
                    { regexp: 'example', value: 'invalid' },
                  ],
                },
              },
            },
          },
        },
      },
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              logs: { should_log_credentials: true },
              routes: [
                {
                  handle: [
                    {
                      handler: 'static_response',
                      headers: { 'Set-Cookie': ['sess=abc; Path=/; HttpOnly', 'keep=1', 'gone=x; Secure', 'other=2'] },
                      body: 'x',
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    try {
      const res = await get(s.port(), '/', { host: 'site.test' });
      expect(res.headers['set-cookie']).toHaveLength(4);
      await s.inst.stop();
      const entry = s.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((e) => e['logger'] === 'http.log.access')!;
      const headers = entry['resp_headers'] as Record<string, string[]>;
      expect(headers['Set-Cookie']).toEqual(['sess=REDACTED; Path=/; HttpOnly', 'keep=6b86b273', 'other=2']);
      expect((entry['request'] as Record<string, unknown>)['host']).toBe('site.invalid');
    } finally {
      await s.close();
    }
  });
});
