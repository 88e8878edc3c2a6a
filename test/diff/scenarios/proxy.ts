/** @module diff/scenarios/proxy: reverse_proxy against the harness's echo upstreams. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const proxy: Scenario[] = [
  {
    name: 'rp-basic-echo',
    caddyfile: site('reverse_proxy {{UP1}}'),
    requests: [
      {
        path: '/p?q=1',
        headers: [
          ['X-Client', 'c'],
          ['Accept', 'text/plain'],
        ],
      },
      { method: 'POST', path: '/post', headers: [['Content-Type', 'text/plain']], body: 'hello body' },
      { label: 'chunked post', method: 'POST', path: '/chunked', chunked: true, body: 'chunky' },
      { method: 'HEAD', path: '/head' },
      {
        label: 'client XFF',
        path: '/xff',
        headers: [
          ['X-Forwarded-For', '9.9.9.9'],
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', 'evil'],
        ],
      },
      {
        label: 'hop-by-hop',
        path: '/hop',
        headers: [
          ['Connection', 'X-Hop'],
          ['X-Hop', 'secret'],
          ['Te', 'trailers'],
          ['Proxy-Authorization', 'x'],
        ],
      },
      { label: 'client accept-encoding', path: '/ae?show-ae', headers: [['Accept-Encoding', 'br']] },
      { label: 'no client accept-encoding', path: '/no-ae?show-ae' },
    ],
  },
  {
    name: 'rp-http10-client',
    caddyfile: site('reverse_proxy {{UP1}}'),
    requests: [{ http: '1.0', path: '/old' }],
  },
  {
    name: 'rp-status-and-headers-from-upstream',
    caddyfile: site('reverse_proxy {{UP1}}'),
    requests: [
      { path: '/status/404' },
      { path: '/status/503?set=Retry-After:5' },
      { path: '/status/204' },
      { path: '/?set=X-A:1&set=X-A:2&set=Set-Cookie:a=1' },
    ],
  },
  {
    name: 'rp-header-up-down',
    caddyfile: site(
      'reverse_proxy {{UP1}} {\n\theader_up X-Up-Set yes\n\theader_up +X-Up-Add more\n\theader_up X-Orig-Host {host}\n\theader_down X-Down added\n\theader_down -X-Upstream\n\theader_down X-Rewritten "^(.*)$" "rw-$1"\n}',
    ),
    requests: [{ path: '/h?set=X-Rewritten:val', headers: [['X-Up-Add', 'first']] }],
  },
  {
    name: 'rp-header-up-delete-user-agent',
    caddyfile: site('reverse_proxy {{UP1}} {\n\theader_up -User-Agent\n}'),
    requests: [
      { path: '/ua' },
      { label: 'no client UA', raw: 'GET /no-ua HTTP/1.1\r\nHost: localhost:{{PORT}}\r\n\r\n' },
    ],
  },
  {
    name: 'rp-host-header-upstream-placeholders',
    caddyfile: site(
      'reverse_proxy {{UP1}} {\n\theader_up Host {upstream_hostport}\n\theader_up X-Up-Host {http.reverse_proxy.upstream.host}\n\theader_up X-Up-Port {http.reverse_proxy.upstream.port}\n\theader_down X-Down-Up {http.reverse_proxy.upstream.hostport}\n}',
    ),
    requests: [{ path: '/u' }],
  },
  {
    name: 'rp-status-placeholder-in-header-down',
    caddyfile: site('reverse_proxy {{UP1}} {\n\theader_down X-Down-Status {http.reverse_proxy.status_code}\n}'),
    requests: [{ path: '/status/201' }],
  },
  {
    name: 'rp-lb-round-robin',
    caddyfile: site('reverse_proxy {{UP1}} {{UP2}} {\n\tlb_policy round_robin\n}'),
    requests: [{ path: '/1' }, { path: '/2' }, { path: '/3' }, { path: '/4' }],
  },
  {
    name: 'rp-lb-first-with-retry',
    caddyfile: site(
      'reverse_proxy {{DEAD}} {{UP2}} {\n\tlb_policy first\n\tlb_try_duration 2s\n\tlb_try_interval 50ms\n\tfail_duration 30s\n}',
    ),
    requests: [{ path: '/a' }, { path: '/b' }],
  },
  {
    name: 'rp-lb-header-hash',
    caddyfile: site('reverse_proxy {{UP1}} {{UP2}} {\n\tlb_policy header X-Who\n}'),
    // Upstream ports change every run and take part in the hash: ten keys make a lucky match (1 in 1024) negligible.
    requests: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'].map((who) => ({
      path: `/${who}`,
      headers: [['X-Who', who]] as [string, string][],
    })),
  },
  {
    name: 'rp-lb-uri-hash',
    caddyfile: site('reverse_proxy {{UP1}} {{UP2}} {\n\tlb_policy uri_hash\n}'),
    requests: ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'].map((p) => ({
      path: `/${p}`,
    })),
  },
  {
    name: 'rp-active-health',
    caddyfile: site(
      'reverse_proxy {{UP3}} {{UP1}} {\n\tlb_policy first\n\thealth_uri /health\n\thealth_interval 200ms\n\thealth_timeout 1s\n}',
    ),
    requests: [{ path: '/after-health', sleepMs: 1200 }, { path: '/again' }],
  },
  {
    name: 'rp-dead-upstream',
    caddyfile: site('reverse_proxy {{DEAD}}'),
    requests: [{ path: '/x' }, { method: 'POST', path: '/y', body: 'data' }],
  },
  {
    name: 'rp-handle-response',
    caddyfile: site(
      'reverse_proxy {{UP1}} {\n\t@notfound status 404\n\thandle_response @notfound {\n\t\trespond "upstream said {http.reverse_proxy.status_code} {http.reverse_proxy.status_text}" 200\n\t}\n\t@err status 5xx\n\thandle_response @err {\n\t\theader X-Handled yes\n\t\trespond "err {http.reverse_proxy.header.X-Upstream}"\n\t}\n}',
    ),
    requests: [{ path: '/status/404' }, { path: '/status/502' }, { path: '/ok' }],
  },
  {
    name: 'rp-handle-response-copy',
    caddyfile: site(
      'reverse_proxy {{UP1}} {\n\t@hdr header X-Upstream up1\n\thandle_response @hdr {\n\t\tcopy_response_headers {\n\t\t\tinclude X-Upstream\n\t\t}\n\t\tcopy_response 202\n\t}\n}',
    ),
    requests: [{ path: '/c?set=X-Extra:1' }],
  },
  {
    name: 'rp-trusted-proxies',
    caddyfile: site('reverse_proxy {{UP1}} {\n\ttrusted_proxies 127.0.0.1/8\n}'),
    requests: [
      {
        path: '/t',
        headers: [
          ['X-Forwarded-For', '1.2.3.4'],
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', 'orig.example'],
        ],
      },
    ],
  },
  {
    name: 'rp-trusted-proxies-server-option',
    // Current Caddy moved trusted_proxies to the server; 2.6.2 only has reverse_proxy's own option.
    global: 'servers {\n\ttrusted_proxies static 127.0.0.1/8\n}',
    caddyfile: site('reverse_proxy {{UP1}}'),
    global262: '',
    caddyfile262: site('reverse_proxy {{UP1}} {\n\ttrusted_proxies 127.0.0.1/8\n}'),
    requests: [
      {
        path: '/t',
        headers: [
          ['X-Forwarded-For', '1.2.3.4'],
          ['X-Forwarded-Proto', 'https'],
        ],
      },
    ],
  },
  {
    name: 'rp-header-plus-proxied-same-header',
    caddyfile: site('header X-Same from-site\nheader Cache-Control no-store\nreverse_proxy {{UP1}}'),
    requests: [{ path: '/s?set=X-Same:from-upstream&set=Cache-Control:max-age=60' }, { path: '/n' }],
  },
  {
    name: 'rp-rewrite-and-strip',
    caddyfile: site(
      'handle_path /api/* {\n\trewrite * /v1{path}\n\treverse_proxy {{UP1}}\n}\nreverse_proxy /raw/* {{UP2}}',
    ),
    requests: [{ path: '/api/items?a=1' }, { path: '/raw/x%20y' }, { path: '/raw/%2Fenc' }],
  },
  {
    name: 'rp-websocket-upgrade',
    caddyfile: site('reverse_proxy {{UP1}}'),
    requests: [
      {
        label: 'upgrade and tunnel',
        raw: 'GET /ws HTTP/1.1\r\nHost: localhost:{{PORT}}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        afterResponse: 'ping',
      },
    ],
  },
  {
    name: 'rp-large-bodies',
    caddyfile: site('reverse_proxy {{UP1}}'),
    requests: [
      { label: '1 MB POST', method: 'POST', path: '/big', body: 'x'.repeat(1024 * 1024), body_: 'length' },
      {
        label: '1 MB chunked POST',
        method: 'POST',
        path: '/bigc',
        chunked: true,
        body: 'y'.repeat(1024 * 1024),
        body_: 'length',
      },
    ],
  },
  {
    name: 'rp-request-body-limit',
    caddyfile: site('request_body {\n\tmax_size 10B\n}\nreverse_proxy {{UP1}}'),
    requests: [
      { label: 'small', method: 'POST', path: '/s', body: 'tiny' },
      { label: 'over limit', method: 'POST', path: '/b', body: 'x'.repeat(100) },
      { label: 'chunked over limit', method: 'POST', path: '/c', chunked: true, body: 'y'.repeat(100) },
      { label: 'after', path: '/still-alive' },
    ],
  },
  {
    name: 'rp-h2-client',
    tls: true,
    global: 'auto_https disable_redirects',
    caddyfile: site('tls internal\nreverse_proxy {{UP1}}', 'https://localhost:{{PORT}}'),
    requests: [
      { http: '2', path: '/via-h2' },
      { http: '2', method: 'POST', path: '/h2post', body: 'b2' },
    ],
  },
  {
    name: 'rp-upstream-dynamic-placeholder',
    caddyfile: site('reverse_proxy {header.X-Target}'),
    requests: [{ path: '/dyn', headers: [['X-Target', '{{UP2}}']] }],
  },
];
