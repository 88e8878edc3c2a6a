/** The map handler answers like Caddy's: destinations worked out when read (expected values from `caddy run`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startServer, type Started } from './helpers.js';

describe('map', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({
      routes: [
        {
          handle: [
            {
              handler: 'map',
              source: '{http.request.uri.path}',
              destinations: ['{dest1}', '{dest2}', '{lazy}', '{num}'],
              mappings: [
                { input: '/a', outputs: ['A', null, 'L-{http.request.uri.path}', 7] },
                { input: '/x', outputs: ['X', null, null, null] },
                { input_regexp: '^/(a|b|x)$', outputs: ['B', 'second-${1}', 'LR-{http.request.uri.path}-$1', null] },
              ],
            },
            {
              // A later map of the same destination does not replace the first.
              handler: 'map',
              source: '{http.request.uri.path}',
              destinations: ['{dest1}'],
              mappings: [{ input: '/a', outputs: ['other'] }],
            },
          ],
        },
        { match: [{ path: ['/a'] }], handle: [{ handler: 'rewrite', uri: '/after' }] },
        { handle: [{ handler: 'static_response', body: '[{dest1}] [{dest2}] [{lazy}] [{num}]' }] },
      ],
    });
  });
  afterAll(() => s.close());

  it('reads the source when a destination is used, so a later rewrite counts', async () => {
    expect((await get(s.port(), '/a')).body).toBe('[] [] [] []');
  });

  it('regexp outputs expand $1 but not placeholders; a null output falls through to later mappings', async () => {
    expect((await get(s.port(), '/b')).body).toBe('[B] [second-b] [LR-{http.request.uri.path}-b] []');
    expect((await get(s.port(), '/x')).body).toBe('[X] [second-x] [LR-{http.request.uri.path}-x] []');
  });

  it('without a match or default, a destination is empty', async () => {
    expect((await get(s.port(), '/c')).body).toBe('[] [] [] []');
  });
});
