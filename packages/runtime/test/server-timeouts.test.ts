/** Server timeouts take every duration Caddy takes (Go's time.ParseDuration), whatever node:http's own limits. */
import { describe, expect, it } from 'vitest';
import { get, startServer } from './helpers.js';

// Each config `caddy validate` (2.6.2) accepts; a non-positive Go timeout means none.
const rows: [string, Record<string, unknown>][] = [
  ['read_timeout shorter than the default read_header_timeout', { read_timeout: '30s' }],
  ['negative read_timeout', { read_timeout: '-1s' }],
  ['fractional read_timeout', { read_timeout: '.5s' }],
  ['nanosecond integer read_timeout', { read_timeout: 1_500_000_000 }],
  ['negative read_header_timeout and idle_timeout', { read_header_timeout: '-1s', idle_timeout: '-5m' }],
  ['sub-millisecond idle_timeout', { idle_timeout: '1500us' }],
];

describe('server timeouts', () => {
  it.each(rows)('%s: loads and serves', async (_name, timeouts) => {
    const s = await startServer({ ...timeouts, routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }] });
    try {
      expect((await get(s.port(), '/')).body).toBe('ok');
    } finally {
      await s.close();
    }
  });
});
