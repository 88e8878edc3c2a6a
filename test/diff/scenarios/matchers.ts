/** @module diff/scenarios/matchers: every request matcher the runtime supports (expression: expression.ts). */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const matchers: Scenario[] = [
  {
    name: 'match-path-forms',
    caddyfile: site(
      'respond /exact "exact"\nrespond /pre/* "prefix"\n@suffix path *.txt\nrespond @suffix "suffix"\nrespond /mid/*/end "middle"\nrespond /a*b "glob"\nrespond "none {path}"',
    ),
    requests: [
      { path: '/exact' },
      { path: '/EXACT' },
      { path: '/exact/' },
      { path: '/pre/x/y' },
      { path: '/pre' },
      { path: '/f.txt' },
      { path: '/F.TXT' },
      { path: '/mid/x/end' },
      { path: '/mid/x/y/end' },
      { path: '/aXXb' },
      { path: '/%65xact' },
      { path: '/pre%2Fx' },
    ],
  },
  {
    name: 'match-path-trailing-dot',
    caddyfile: site('@php path *.php\nrespond @php "php"\nrespond "other"'),
    requests: [{ path: '/x.php' }, { path: '/x.php.' }, { path: '/x.php%20' }, { path: '/x.PHP' }],
  },
  {
    name: 'match-path-escaped',
    caddyfile: site(
      '@enc path /a%2Fb\nrespond @enc "escaped form"\n@dec path /a/b\nrespond @dec "decoded form"\nrespond "none"',
    ),
    requests: [{ path: '/a%2Fb' }, { path: '/a/b' }, { path: '/a%2fb' }],
  },
  {
    name: 'match-path-regexp',
    caddyfile: site(
      '@img path_regexp img \\.(png|jpe?g)$\nrespond @img "img {re.img.1} {re.img.0}"\n@num path_regexp num ^/n/(?P<id>\\d+)\nrespond @num "num {re.num.id} {re.num.1}"\nrespond "none"',
    ),
    requests: [{ path: '/x/pic.JPG' }, { path: '/x/pic.jpeg' }, { path: '/n/123/tail' }, { path: '/n/abc' }],
  },
  {
    name: 'match-host',
    caddyfile: site('@h host example.com *.example.org\nrespond @h "host match {host}"\nrespond "none {host}"'),
    requests: [
      { headers: [['Host', 'example.com']] },
      { label: 'upper', headers: [['Host', 'EXAMPLE.COM']] },
      { label: 'sub', headers: [['Host', 'a.example.org']] },
      { label: 'deep', headers: [['Host', 'a.b.example.org']] },
      { label: 'with port', headers: [['Host', 'example.com:{{PORT}}']] },
      { label: 'other', headers: [['Host', 'nope.com']] },
      { label: 'trailing dot', headers: [['Host', 'example.com.']] },
      { label: 'ipv6 literal', headers: [['Host', '[::1]:{{PORT}}']] },
      { label: 'ip', headers: [['Host', '127.0.0.1']] },
    ],
  },
  {
    name: 'match-method',
    caddyfile: site(
      '@w method POST PUT\nrespond @w "write {method}"\n@h method HEAD\nrespond @h "head"\nrespond "read {method}"',
    ),
    requests: [
      { method: 'POST', body: '' },
      { method: 'PUT', body: 'x' },
      { method: 'get' },
      { method: 'HEAD' },
      { method: 'GET' },
    ],
  },
  {
    name: 'match-header',
    caddyfile: site(
      '@a header X-A foo*\nrespond @a "a {header.X-A}"\n@b header X-B *\nrespond @b "b present"\n@c header !X-C\n@d header Accept-Encoding *gzip*\nrespond @d "d gzip"\nrespond @c "c absent"\nrespond "none"',
    ),
    requests: [
      { headers: [['X-A', 'foobar']] },
      {
        label: 'X-A no',
        headers: [
          ['X-A', 'barfoo'],
          ['X-C', '1'],
        ],
      },
      {
        label: 'X-B empty',
        headers: [
          ['X-B', ''],
          ['X-C', '1'],
        ],
      },
      {
        label: 'gzip',
        headers: [
          ['Accept-Encoding', 'br, gzip'],
          ['X-C', '1'],
        ],
      },
      { label: 'nothing' },
    ],
  },
  {
    name: 'match-header-regexp',
    caddyfile: site(
      '@ua header_regexp ua User-Agent ^curl/(\\d+)\\.\nrespond @ua "curl major {re.ua.1}"\n@ck header_regexp ck Cookie session=([a-z0-9]+)\nrespond @ck "session {re.ck.1}"\nrespond "none"',
    ),
    requests: [
      { headers: [['User-Agent', 'curl/8.1.2']] },
      { headers: [['Cookie', 'a=1; session=abc123']] },
      { label: 'none' },
    ],
  },
  {
    name: 'match-query',
    caddyfile: site(
      '@a query a=1\nrespond @a "a is 1"\n@b query b=*\nrespond @b "b any {query.b}"\n@c query c=x c=y\nrespond @c "c x or y"\nrespond "none [{query}]"',
    ),
    requests: [
      { path: '/?a=1' },
      { path: '/?a=2' },
      { path: '/?b=' },
      { path: '/?b=zz' },
      { path: '/?c=y' },
      { path: '/?a=1&a=2' },
      { path: '/?A=1' },
      { path: '/?a=%31' },
    ],
  },
  {
    name: 'match-protocol',
    tls: true,
    global: 'auto_https disable_redirects',
    caddyfile: site(
      'tls internal\n@h2 protocol http/2\nrespond @h2 "h2 {http.request.proto}"\n@https protocol https\nrespond @https "https {http.request.proto}"\nrespond "other"',
      'https://localhost:{{PORT}}',
    ),
    requests: [{ http: '2' }, { http: '1.1' }],
  },
  {
    name: 'match-protocol-plain',
    caddyfile: site(
      '@https protocol https\nrespond @https "https"\n@http protocol http\nrespond @http "http {scheme}"\nrespond "other"',
    ),
    requests: [{}],
  },
  {
    name: 'match-remote-ip',
    caddyfile: site(
      '@lo {\n\tpath /lo\n\tremote_ip 127.0.0.1/8 ::1\n}\nrespond @lo "loopback {remote_host}"\n@ten remote_ip 10.0.0.0/8\nrespond @ten "ten"\nrespond "other"',
    ),
    requests: [{ path: '/lo' }, { path: '/x', headers: [['X-Forwarded-For', '10.1.2.3']] }],
  },
  {
    name: 'match-client-ip',
    // client_ip (current Caddy) does not exist in 2.6.2, whose equivalent is `remote_ip forwarded`.
    global: 'servers {\n\ttrusted_proxies static 127.0.0.1/8\n}',
    caddyfile: site('@c client_ip 10.0.0.0/8\nrespond @c "client ten"\nrespond "other"'),
    caddyfile262: site('@c remote_ip forwarded 10.0.0.0/8\nrespond @c "client ten"\nrespond "other"'),
    global262: '',
    requests: [
      { path: '/a', headers: [['X-Forwarded-For', '10.1.2.3']] },
      { path: '/b', headers: [['X-Forwarded-For', '192.168.1.1, 10.9.9.9']] },
      { path: '/c' },
    ],
  },
  {
    name: 'match-not',
    caddyfile: site(
      '@notapi not path /api/*\nrespond @notapi "not api"\n@neither {\n\tnot {\n\t\tmethod POST\n\t\tpath /api/write\n\t}\n}\nrespond @neither "api but not POST write"\nrespond "post write"',
    ),
    requests: [{ path: '/x' }, { path: '/api/read' }, { method: 'POST', path: '/api/write', body: '' }],
  },
  {
    name: 'match-combined-and-or',
    caddyfile: site(
      '@both {\n\tpath /p/*\n\tmethod GET\n\tquery k=v\n}\nrespond @both "all three"\n@multi path /x /y\nrespond @multi "x or y"\nrespond "none"',
    ),
    requests: [{ path: '/p/1?k=v' }, { path: '/p/1' }, { method: 'POST', path: '/p/1?k=v', body: '' }, { path: '/y' }],
  },
  {
    name: 'match-single-line-and-wildcards',
    caddyfile: site('@root path /\nrespond @root "root only"\nrespond * "star {path}"'),
    requests: [{ path: '/' }, { path: '/x' }],
  },
];
