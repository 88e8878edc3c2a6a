/** @module diff/scenarios/extra: server options, SNI routing, and combinations of directives. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

const g = 'auto_https disable_redirects';

export const extra: Scenario[] = [
  {
    name: 'server-max-header-size',
    global: 'servers {\n\tmax_header_size 2KB\n}',
    caddyfile: site('respond "ok"'),
    requests: [
      { label: 'small', headers: [['X-Small', 'a'.repeat(100)]] },
      // Go lets 4096 bytes of slack through on top of MaxHeaderBytes.
      { label: '4 KB header', headers: [['X-Big', 'b'.repeat(4096)]] },
      { label: '8 KB header', headers: [['X-Big', 'b'.repeat(8192)]] },
    ],
  },
  {
    name: 'server-protocols-h1-only',
    tls: true,
    global: `${g}\nservers {\n\tprotocols h1\n}`,
    caddyfile: site('tls internal\nrespond "proto={http.request.proto}"', 'https://localhost:{{PORT}}'),
    requests: [{ path: '/h1' }, { label: 'h2 refused', http: '2', path: '/h2' }],
  },
  {
    name: 'tls-sni-site-routing',
    tls: true,
    sni: 'a.localhost',
    global: g,
    caddyfile: `${site('tls internal\nrespond "site a {host}"', 'https://a.localhost:{{PORT}}')}\n${site('tls internal\nrespond "site b {host}"', 'https://b.localhost:{{PORT}}')}`,
    requests: [
      { label: 'a', servername: 'a.localhost', headers: [['Host', 'a.localhost:{{PORT}}']] },
      { label: 'b', servername: 'b.localhost', headers: [['Host', 'b.localhost:{{PORT}}']] },
      { label: 'a h2', http: '2', servername: 'a.localhost', headers: [['Host', 'a.localhost:{{PORT}}']] },
      { label: 'sni a host b', servername: 'a.localhost', headers: [['Host', 'b.localhost:{{PORT}}']] },
    ],
  },
  {
    name: 'file-matcher-try-policy',
    caddyfile: site(
      'root * {{ROOT}}\n@small file {\n\ttry_files /big.txt /a.txt /b.json\n\ttry_policy smallest_size\n}\n@large file {\n\ttry_files /a.txt /big.txt\n\ttry_policy largest_size\n}\nhandle /s {\n\trespond @small "{file_match.relative}"\n}\nhandle /l {\n\trespond @large "{file_match.relative}"\n}',
    ),
    requests: [{ path: '/s' }, { path: '/l' }],
  },
  {
    name: 'request-header-then-proxy',
    caddyfile: site(
      'request_header X-Added {method}-{path}\nrequest_header -Cookie\nvars tenant {query.t}\nreverse_proxy {{UP1}} {\n\theader_up X-Tenant {vars.tenant}\n\theader_up X-Remote {remote_host}\n}',
    ),
    requests: [{ path: '/r?t=acme', headers: [['Cookie', 'secret=1']] }],
  },
  {
    name: 'file-server-if-range',
    caddyfile: site('root * {{ROOT}}\nfile_server'),
    requests: [
      {
        label: 'if-range date match',
        path: '/big.txt',
        headers: [
          ['Range', 'bytes=0-9'],
          ['If-Range', 'Tue, 02 Jan 2024 03:04:05 GMT'],
        ],
      },
      {
        label: 'if-range date old',
        path: '/big.txt',
        headers: [
          ['Range', 'bytes=0-9'],
          ['If-Range', 'Mon, 01 Jan 2024 00:00:00 GMT'],
        ],
        body_: 'length',
      },
      { label: 'open-ended', path: '/big.txt', headers: [['Range', 'bytes=100000-']] },
    ],
  },
  {
    name: 'http2-big-file-and-encode',
    tls: true,
    global: g,
    caddyfile: site('tls internal\nroot * {{ROOT}}\nencode gzip\nfile_server', 'https://localhost:{{PORT}}'),
    requests: [
      { http: '2', path: '/big.txt' },
      {
        label: 'h2 gzip',
        http: '2',
        path: '/big.txt',
        headers: [['Accept-Encoding', 'gzip']],
        ignoreHeaders: ['etag'],
      },
    ],
  },
  {
    name: 'handle-errors-proxy-error-page',
    caddyfile: site('error /e 503\nhandle_errors {\n\trewrite * /status/{err.status_code}\n\treverse_proxy {{UP2}}\n}'),
    requests: [{ path: '/e' }],
  },
  {
    name: 'redir-relative-and-encoded',
    caddyfile: site('redir /a rel/target\nredir /b /with%20space?x=a%26b\nredir /c {uri}/more'),
    requests: [{ path: '/a' }, { path: '/b' }, { path: '/c?q=1' }],
  },
  {
    name: 'uri-path-regexp-backrefs',
    caddyfile: site('uri path_regexp ^/old/(\\w+)/(\\d+)$ /new/$2/$1\nrespond "{path}"'),
    requests: [{ path: '/old/user/42' }, { path: '/old/x' }],
  },
  {
    name: 'http2-abort-and-errors',
    tls: true,
    global: g,
    caddyfile: site(
      'tls internal\nabort /a\nerror /e 418\nredir /r /target\nrespond "ok"',
      'https://localhost:{{PORT}}',
    ),
    requests: [
      { http: '2', path: '/a' },
      { http: '2', path: '/e' },
      { http: '2', path: '/r' },
      { label: 'after abort', http: '2', path: '/ok' },
    ],
  },
  {
    name: 'odd-paths-and-queries',
    caddyfile: site(
      '@plus query q=a+b\nrespond @plus "plus matched {query.q}"\n@sp query "q=a b"\nrespond @sp "space matched {query.q}"\nrespond "path={path} q={query.q} raw={query}"',
    ),
    requests: [
      { path: '/p;jsessionid=1?q=a+b' },
      { path: '/x?q=a%20b' },
      { path: '/x?q=a%2Bb' },
      { path: '/x?q' },
      { path: '/%7Euser/' },
      { path: '/x?a=1&&b=2' },
    ],
  },
  {
    name: 'redir-head-and-post',
    caddyfile: site('redir /old /new 301\nredir /html /h html'),
    requests: [
      { method: 'HEAD', path: '/old' },
      { method: 'POST', path: '/old', body: 'x' },
      { method: 'HEAD', path: '/html' },
    ],
  },
  {
    name: 'header-set-cookie-multi',
    caddyfile: site('header +Set-Cookie "a=1; Path=/"\nheader +Set-Cookie "b=2; HttpOnly"\nrespond "cookies"'),
    requests: [{}],
  },
];
