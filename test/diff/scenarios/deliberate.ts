/**
 * @module diff/scenarios/deliberate: requests where proxy deliberately answers differently from Caddy (2.6.2 and,
 * as far as we know, master), for safety. Each is pinned in pinned.ts with the reason.
 */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const deliberate: Scenario[] = [
  {
    name: 'rewrite-client-placeholders',
    caddyfile: site('rewrite * {http.request.uri}&z=1\nrespond "{uri}"'),
    requests: [
      { label: 'placeholder in the path', path: '/q7%7Bsystem.os%7D' },
      { label: 'plain', path: '/q8' },
    ],
  },
  {
    name: 'uri-strip-prefix-mid-segment',
    caddyfile: site('uri strip_prefix /api\nrespond "{uri}"'),
    requests: [
      { label: 'segment', path: '/api/x' },
      { label: 'mid-segment', path: '/apixyz' },
    ],
  },
  {
    name: 'rp-malformed-chunked-body',
    caddyfile: site('reverse_proxy {{UP1}}'),
    requests: [
      {
        label: 'bad chunk size',
        raw: 'POST /up HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
      },
    ],
  },
];
