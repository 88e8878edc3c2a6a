/** Active health checks whose request node refuses to build fail the check; they reject no promise. */
import { afterAll, describe, expect, it } from 'vitest';
import { start, type Started } from './helpers.js';

describe('active health checks', () => {
  let s: Started | undefined;
  const rejections: unknown[] = [];
  const onRejection = (e: unknown): void => {
    rejections.push(e);
  };
  process.on('unhandledRejection', onRejection);
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await s?.close();
  });

  it('a header value with a line break marks the check failed instead of rejecting a promise nobody handles', async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: '127.0.0.1:1' }],
                      health_checks: { active: { path: '/health', interval: '50ms', headers: { 'X-Bad': ['a\nb'] } } },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(rejections).toEqual([]);
  });
});
