/** @module diff/scenarios/expression: the CEL `expression` matcher: placeholders, CEL itself, matcher functions, errors. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const expression: Scenario[] = [
  {
    name: 'expression-placeholders',
    caddyfile: site(
      [
        '@get expression {path}.startsWith("/a") && {method} == "GET"',
        'respond @get "get under /a"',
        '@num expression `{header.X-Num} == "42" || {query.n}.matches("^[0-9]{3}$")`',
        'respond @num "num {header.X-Num}{query.n}"',
        '@ci "{path}.matches(\'(?i)^/CASE/\')"',
        'respond @ci "case-insensitive"',
        '@str expression `{path}.endsWith(".txt") && {path}.size() > 6 && {path}.contains("doc")`',
        'respond @str "text doc"',
        '@port expression `{remote_port} > 0 && {path} == "/port"`',
        'respond @port "port is an int"',
        'respond "none"',
      ].join('\n'),
    ),
    requests: [
      { path: '/abc' },
      { method: 'POST', path: '/abc', body: '' },
      { path: '/x', headers: [['X-Num', '42']] },
      { path: '/x?n=123' },
      { path: '/x?n=1234' },
      { path: '/case/x' },
      { path: '/Case/y' },
      { path: '/my-doc.txt' },
      { path: '/doc.txt' },
      { path: '/port' },
    ],
  },
  {
    name: 'expression-matcher-functions',
    caddyfile: site(
      [
        "@p expression `path('/p1', '/p2/*') && method('GET', 'HEAD')`",
        'respond @p "path and method"',
        "@h expression `header({'X-A': 'b*', 'X-C': ['d', 'e']})`",
        'respond @h "header"',
        "@q expression `query({'k': ['1', '2']}) && host('localhost')`",
        'respond @q "query and host"',
        "@ip expression `remote_ip('127.0.0.0/8') && protocol('http') && path('/ip')`",
        'respond @ip "loopback over http"',
        "@re expression `header_regexp('ua', 'User-Agent', '^tool/([0-9]+)') && path_regexp('ver', '^/v([0-9]+)/')`",
        'respond @re "tool {re.ua.1} api {re.ver.1}"',
        "@none expression `!path('/keep') && path('/neg/*')`",
        'respond @none "negated"',
        'respond "none"',
      ].join('\n'),
    ),
    requests: [
      { path: '/p1' },
      { path: '/p2/x' },
      { method: 'POST', path: '/p1', body: '' },
      {
        path: '/h',
        headers: [
          ['X-A', 'bee'],
          ['X-C', 'e'],
        ],
      },
      {
        label: 'header mismatch',
        path: '/h',
        headers: [
          ['X-A', 'bee'],
          ['X-C', 'f'],
        ],
      },
      { path: '/q?k=2' },
      { path: '/q?k=3' },
      { path: '/ip' },
      { path: '/v2/users', headers: [['User-Agent', 'tool/7']] },
      { path: '/v2/users', headers: [['User-Agent', 'curl/8']] },
      { path: '/neg/x' },
    ],
  },
  {
    name: 'expression-file',
    caddyfile: site(
      [
        "@f expression `file({'root': '{{ROOT}}', 'try_files': [{path} + '.txt']})`",
        'respond @f "file {file_match.relative}"',
        'respond "none"',
      ].join('\n'),
    ),
    requests: [{ path: '/a' }, { path: '/nothing' }],
  },
  {
    name: 'expression-handle-errors-status',
    caddyfile: site(
      [
        'error /nf 404',
        'error /gone 410',
        'error /down 503',
        'handle_errors {',
        '\t@missing expression `{err.status_code} in [404, 410]`',
        '\trespond @missing "missing {err.status_code}" 404',
        '\t@server expression `{err.status_code} >= 500 && {err.status_code} <= 599`',
        '\trespond @server "server error" 500',
        '\trespond "other {err.status_code}" 400',
        '}',
        'respond "fine"',
      ].join('\n'),
    ),
    requests: [{ path: '/nf' }, { path: '/gone' }, { path: '/down' }, { path: '/ok' }],
  },
  {
    // Current Caddy adapts `handle_errors <codes>` to expression matchers; 2.6.2 gets the same by hand.
    name: 'expression-handle-errors-codes',
    caddyfile: site(
      [
        'error /nf 404',
        'error /down 503',
        'error /no 403',
        'handle_errors 404 410 {',
        '\trespond "missing {err.status_code}" 404',
        '}',
        'handle_errors 5xx {',
        '\trespond "server {err.status_code}" 500',
        '}',
        'respond "fine"',
      ].join('\n'),
    ),
    caddyfile262: site(
      [
        'error /nf 404',
        'error /down 503',
        'error /no 403',
        'handle_errors {',
        '\t@missing expression `{err.status_code} in [404, 410]`',
        '\thandle @missing {',
        '\t\trespond "missing {err.status_code}" 404',
        '\t}',
        '\t@server expression `{err.status_code} >= 500 && {err.status_code} <= 599`',
        '\thandle @server {',
        '\t\trespond "server {err.status_code}" 500',
        '\t}',
        '}',
        'respond "fine"',
      ].join('\n'),
    ),
    requests: [{ path: '/nf' }, { path: '/down' }, { path: '/no' }, { path: '/ok' }],
  },
  {
    // An evaluation error (a string compared with an int) ends the request with a 500.
    name: 'expression-evaluation-error',
    caddyfile: site('@bad expression `{header.N} > 5`\nrespond @bad "bad"\nrespond "fine"'),
    requests: [
      { path: '/', headers: [['N', '7']] },
      { label: 'no header', path: '/' },
    ],
  },
];
