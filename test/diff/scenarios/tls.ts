/** @module diff/scenarios/tls: `tls internal` sites, TLS placeholders, HTTP/2. */
import type { Scenario } from '../types.js';
import { loggedSite, site } from './util.js';

const tlsSite = (body: string): string => site(`tls internal\n${body}`, 'https://localhost:{{PORT}}');
const g = 'auto_https disable_redirects';

export const tls: Scenario[] = [
  {
    name: 'tls-version-placeholder',
    tls: true,
    global: g,
    caddyfile: tlsSite('respond "version={http.request.tls.version} {tls_version}"'),
    requests: [{ path: '/h1' }, { http: '2', path: '/h2' }],
  },
  {
    name: 'tls-placeholders',
    tls: true,
    global: g,
    caddyfile: tlsSite(
      'respond `server_name={http.request.tls.server_name}\nproto={http.request.tls.proto}\nmutual={http.request.tls.proto_mutual}\nresumed={http.request.tls.resumed}\nscheme={scheme}\nclient_subject=[{http.request.tls.client.subject}]\n`',
    ),
    requests: [{ path: '/h1' }, { http: '2', path: '/h2' }],
  },
  {
    name: 'tls-cipher-placeholder',
    tls: true,
    global: g,
    caddyfile: tlsSite('respond "{http.request.tls.cipher_suite}"'),
    requests: [{ path: '/' }],
  },
  {
    name: 'tls-sni-mismatch',
    tls: true,
    global: g,
    caddyfile: tlsSite('respond "hi {host}"'),
    requests: [
      { label: 'sni other', servername: 'other.test', path: '/' },
      { label: 'host other', headers: [['Host', 'other.test']] },
    ],
  },
  {
    name: 'http2-basics',
    tls: true,
    global: g,
    caddyfile: tlsSite('root * {{ROOT}}\nheader X-H2 yes\nrespond /r "resp {http.request.proto}"\nfile_server'),
    requests: [
      { http: '2', path: '/r' },
      { http: '2', path: '/a.txt' },
      { http: '2', method: 'HEAD', path: '/a.txt' },
      { http: '2', path: '/missing' },
      { http: '2', path: '/docs' },
      { label: 'h2 host header', http: '2', path: '/r', headers: [['Host', 'localhost:{{PORT}}']] },
    ],
  },
  {
    name: 'h2c-prior-knowledge',
    global: 'servers {\n\tprotocols h1 h2 h2c\n}',
    caddyfile: site('respond "proto={http.request.proto}"'),
    requests: [{ http: '2', path: '/c' }, { path: '/h1' }],
  },
  {
    name: 'tls-access-log-keys',
    tls: true,
    global: g,
    log: true,
    caddyfile: loggedSite('tls internal\nrespond "logged"', 'https://localhost:{{PORT}}'),
    requests: [{ path: '/logged?x=1', headers: [['X-Req', 'r']] }],
  },
  {
    name: 'tls-http-on-https-port',
    tls: true,
    global: g,
    caddyfile: tlsSite('respond "tls"'),
    requests: [{ label: 'plain HTTP to TLS port', tls: false, path: '/' }],
  },
  {
    // The ACME endpoints' routing and the answers that need no signed request (those are runtime tests, with
    // certbot); nonces are random on both sides.
    name: 'acme-server-routes',
    tls: true,
    global: g,
    caddyfile: tlsSite('route {\n\tacme_server\n\trespond "after"\n}'),
    normalize: [[/^[\w-]{16,}$/, 'NONCE']],
    requests: [
      { path: '/acme/local/directory' },
      { path: '/acme/local/new-nonce' },
      { method: 'HEAD', path: '/acme/local/new-nonce' },
      { path: '/acme/other/directory' },
      { path: '/acme/local/nope' },
      { path: '/acme/' },
      { path: '/acme' },
      { path: '/elsewhere' },
      { path: '/acme/local/order/xyz' },
      { method: 'POST', path: '/acme/local/directory', body: '{}' },
      {
        label: 'POST not a JWS',
        method: 'POST',
        path: '/acme/local/new-order',
        headers: [['Content-Type', 'application/jose+json']],
        body: '{}',
        body_: 'ignore',
        ignoreHeaders: ['content-length'],
      },
    ],
  },
];
