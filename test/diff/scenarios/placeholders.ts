/** @module diff/scenarios/placeholders: one line per placeholder, so each difference names its placeholder. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

const lines = (names: string[]): string => `respond \`${names.map((n) => `${n}=${n}`).join('\n')}\n\``;

export const placeholders: Scenario[] = [
  {
    name: 'placeholders-request',
    caddyfile: site(
      lines([
        '{http.request.method}',
        '{http.request.scheme}',
        '{http.request.proto}',
        '{http.request.host}',
        '{http.request.hostport}',
        '{http.request.port}',
        '{http.request.remote.host}',
        '{http.request.header.User-Agent}',
        '{http.request.header.x-lower}',
        '{http.request.cookie.c}',
        '{http.request.cookie.missing}',
        '{http.request.orig_method}',
        '{http.request.host.labels.0}',
        '{http.request.host.labels.1}',
        '{http.request.host.labels.9}',
        '{http.request.body}',
        '{method}',
        '{scheme}',
        '{remote_host}',
      ]),
    ),
    requests: [
      {
        path: '/p',
        headers: [
          ['Host', 'sub.example.test:{{PORT}}'],
          ['X-Lower', 'v'],
          ['Cookie', 'c=cookie-val; d=2'],
        ],
      },
      { label: 'POST body', method: 'POST', path: '/b', body: 'the body' },
    ],
  },
  {
    name: 'placeholders-uri',
    caddyfile: site(
      lines([
        '{http.request.uri}',
        '{http.request.uri.path}',
        '{http.request.uri.path.dir}',
        '{http.request.uri.path.file}',
        '{http.request.uri.path.file.base}',
        '{http.request.uri.path.file.ext}',
        '{http.request.uri.path.0}',
        '{http.request.uri.path.1}',
        '{http.request.uri.path.5}',
        '{http.request.uri.query}',
        '{http.request.uri.query.a}',
        '{http.request.uri.query.missing}',
        '{http.request.uri.prefixed_query}',
        '{http.request.orig_uri}',
        '{http.request.orig_uri.path}',
        '{http.request.orig_uri.path.dir}',
        '{http.request.orig_uri.query}',
        '{uri}',
        '{path}',
        '{dir}',
        '{file}',
        '{query}',
        '{query.a}',
        '{path.0}',
      ]),
    ),
    requests: [
      { path: '/dir/sub/file.tar.gz?a=1&b=%20x&a=2' },
      { path: '/' },
      { path: '/only-dir/' },
      { path: '/enc%20oded/p%2Fq?x' },
    ],
  },
  {
    name: 'placeholders-misc',
    caddyfile: site(
      lines([
        '{env.PROXY_DIFF_ENV}',
        '{env.PROXY_DIFF_UNSET}',
        '{system.os}',
        '{system.arch}',
        '{http.error}',
        '{nope.unknown}',
        '{http.request.uuid}',
        '{time.now.year}',
        '{http.request.tls.version}',
        '{labels.0}',
        '{hostport}',
      ]),
    ),
    normalize: [[/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>']],
    requests: [{ path: '/m' }],
  },
  {
    name: 'placeholders-escapes',
    caddyfile: site(
      'respond "braces \\{not} {path} \\\\{path} {{PORT_LITERAL}} {http.request.header.X-Empty}|{http.request.header.Missing}|"',
    ),
    requests: [{ path: '/e', headers: [['X-Empty', '']] }],
  },
  {
    name: 'placeholders-client-ip',
    caddyfile: site('respond "client={client_ip} remote={remote_host}"'),
    caddyfile262: site('respond "client={remote_host} remote={remote_host}"'),
    requests: [{ path: '/c' }],
  },
  {
    name: 'placeholders-in-header-values',
    caddyfile: site(
      'header X-Path {path}\nheader X-Method {method}\nheader X-Q "{query.q}-{query.missing}-end"\nrespond "ok"',
    ),
    requests: [{ path: '/h?q=v' }],
  },
];
