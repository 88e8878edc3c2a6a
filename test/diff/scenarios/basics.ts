/** @module diff/scenarios/basics: respond, redir, error, abort, and the HTTP/1 protocol edges. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const basics: Scenario[] = [
  {
    name: 'respond-body-status',
    caddyfile: site('respond "hello world" 201'),
    requests: [{}, { method: 'HEAD' }, { method: 'POST', body: 'x=1' }, { method: 'DELETE', path: '/any/where?q=1' }],
  },
  {
    name: 'respond-status-only',
    caddyfile: site('respond /gone 410\nrespond /empty 204\nrespond 404'),
    requests: [{ path: '/gone' }, { path: '/empty' }, { path: '/other' }],
  },
  {
    name: 'respond-close',
    caddyfile: site('respond "bye" {\n\tclose\n}'),
    requests: [{}],
  },
  {
    name: 'respond-content-type-sniff',
    caddyfile: site(
      'respond /json `{"a":1}`\nrespond /html "<html><body>x</body></html>"\nheader /typed Content-Type application/json\nrespond /typed `{"c":3}`\nrespond "plain"',
    ),
    requests: [{ path: '/json' }, { path: '/html' }, { path: '/typed' }, { path: '/' }],
  },
  {
    name: 'redir-forms',
    caddyfile: site(
      'redir /old /new\nredir /perm https://example.com{uri} permanent\nredir /temp /t temporary\nredir /html /h html\nredir /code /c 307\nredir /rel ../up\nrespond "fallthrough {uri}"',
    ),
    requests: [
      { path: '/old' },
      { path: '/perm?a=1' },
      { path: '/temp' },
      { path: '/html' },
      { path: '/code' },
      { path: '/rel' },
      { path: '/none' },
    ],
  },
  {
    name: 'redir-placeholders',
    caddyfile: site('redir /s/* https://{host}{uri}\nredir /q /dest?from={path}&{query} 301'),
    requests: [{ path: '/s/x?y=1' }, { path: '/q?a=b' }],
  },
  {
    name: 'error-directive-no-handler',
    caddyfile: site('error /e "boom" 500\nerror /f 403\nerror /g "teapot" 418\nrespond "ok"'),
    requests: [{ path: '/e' }, { path: '/f' }, { path: '/g' }, { path: '/ok' }],
  },
  {
    name: 'abort-connection',
    caddyfile: site('abort /a*\nrespond "ok"'),
    requests: [{ path: '/abc' }, { path: '/ok' }],
  },
  {
    name: 'method-token-brew',
    caddyfile: site('respond "{method} {uri}"'),
    requests: [
      { method: 'BREW', path: '/pot' },
      { method: 'PROPFIND', path: '/dav' },
      { method: 'PATCH', path: '/p', body: 'x' },
    ],
  },
  {
    name: 'absolute-form-target',
    caddyfile: site('respond "{host} {uri} {path}"'),
    requests: [
      {
        label: 'absolute-form',
        raw: 'GET http://localhost:{{PORT}}/abs/path?q=1 HTTP/1.1\r\nHost: localhost:{{PORT}}\r\n\r\n',
        responses: 1,
      },
    ],
  },
  {
    name: 'host-header-validation',
    caddyfile: site('respond "host={host}"'),
    requests: [
      { label: 'duplicate Host', raw: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n' },
      { label: 'bad Host chars', raw: 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n' },
      { label: 'missing Host 1.1', raw: 'GET / HTTP/1.1\r\nUser-Agent: x\r\n\r\n' },
      { label: 'missing Host 1.0', raw: 'GET / HTTP/1.0\r\nUser-Agent: x\r\n\r\n' },
    ],
  },
  {
    name: 'host-case-and-repeat-header',
    caddyfile: site('respond "host={host} hostport={hostport} x={header.X-Rep} ua={header.user-agent}"'),
    requests: [
      {
        headers: [
          ['Host', 'ExAmple.COM:{{PORT}}'],
          ['X-Rep', '1'],
          ['X-Rep', '2'],
        ],
      },
    ],
  },
  {
    name: 'big-header-and-url',
    caddyfile: site('respond "ok {http.request.uri.path.0}"'),
    requests: [
      { label: '65KB header', headers: [['X-Big', 'a'.repeat(65 * 1024)]] },
      { label: '20KB URL', path: `/long/${'b'.repeat(20 * 1024)}` },
    ],
  },
  {
    name: 'pipelining',
    caddyfile: site('respond "{path}"'),
    requests: [
      {
        label: 'two keep-alive',
        raw: 'GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n',
        responses: 2,
      },
      {
        label: 'after Connection: close',
        raw: 'GET /one HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n',
        responses: 1,
      },
    ],
  },
  {
    name: 'http10-client',
    caddyfile: site('respond "proto={http.request.proto} {host}"'),
    requests: [
      { http: '1.0' },
      { http: '1.0', headers: [['Connection', 'keep-alive']] },
      { label: 'close', headers: [['Connection', 'close']] },
    ],
  },
  {
    name: 'options-and-trace',
    caddyfile: site('respond "{method}"'),
    requests: [
      { method: 'OPTIONS', path: '/' },
      { label: 'OPTIONS *', raw: 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n' },
      { method: 'TRACE', path: '/t' },
    ],
  },
  {
    name: 'bad-request-line',
    caddyfile: site('respond "ok"'),
    requests: [
      { label: 'garbage', raw: 'HELLO\r\n\r\n' },
      { label: 'bad version', raw: 'GET / HTTP/9.9\r\nHost: x\r\n\r\n' },
      { label: 'bad header line', raw: 'GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n' },
      {
        label: 'both CL and TE',
        raw: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      },
      { label: 'bare LF head', raw: 'GET / HTTP/1.1\nHost: x\n\n' },
      {
        label: 'chunked, identity',
        raw: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n',
      },
      {
        label: 'gzip, chunked',
        raw: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
      },
    ],
  },
  {
    name: 'header-on-error-without-handler',
    caddyfile: site('header X-Keep kept\nheader X-Deferred later {\n\tdefer\n}\nerror /e 403\nrespond "ok"'),
    requests: [{ path: '/e' }, { path: '/ok' }],
  },
  {
    name: 'auto-https-redirect',
    tls: true,
    port2: true,
    global: 'http_port {{PORT2}}',
    caddyfile: site('tls internal\nrespond "secure"', 'localhost:{{PORT}}'),
    requests: [
      { path: '/s' },
      { label: 'http port redirects', tls: false, port: 'PORT2', path: '/x?y=1' },
      { label: 'http port HEAD', tls: false, port: 'PORT2', method: 'HEAD', path: '/h' },
      {
        label: 'http port unknown host',
        tls: false,
        port: 'PORT2',
        path: '/u?a=1',
        headers: [['Host', 'other.example']],
      },
    ],
  },
  {
    name: 'expect-continue',
    caddyfile: site('respond "got {http.request.header.Expect}"'),
    requests: [{ method: 'POST', headers: [['Expect', '100-continue']], body: 'abc' }],
  },
];
