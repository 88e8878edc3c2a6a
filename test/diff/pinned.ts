/**
 * @module diff/pinned: where Caddy 2.6.2 (the oracle we can run) and current Caddy (master, the spec) disagree.
 * For these requests the suite checks that caddy 2.6.2 still does what `caddy262` says (so the table cannot
 * go stale silently) and then compares proxy with 2.6.2's answer rewritten per `master`.
 */
import type { Pinned } from './types.js';

const LOG = '(access log)';

/** Current Caddy's access log adds the client IP (trusted_proxies) and the request body size. */
const logKeys = (scenario: string): Pinned => ({
  scenario,
  request: LOG,
  caddy262: {},
  master: { logKeys: { add: ['bytes_read', 'request.client_ip'] } },
  what: '2.6.2 logs neither request.client_ip nor bytes_read; master logs both',
  why: 'current Caddy is the spec; both keys are part of every access-log line since 2.7',
  ref: 'modules/caddyhttp/server.go logRequest (bytes_read) and LoggableHTTPRequest (client_ip), Caddy v2.7.0',
});

/** file_server answers only GET and HEAD in current Caddy. */
const fileServer405 = (request: string): Pinned => ({
  scenario: 'file-server-post',
  request,
  caddy262: { status: 200 },
  master: {
    status: 405,
    headers: { allow: 'GET, HEAD', 'content-length': '0', 'content-type': null, 'accept-ranges': null, etag: null, 'last-modified': null },
    body: '',
  },
  what: '2.6.2 serves the file to any method; master answers 405 with Allow: GET, HEAD (empty body, no handle_errors)',
  why: 'a write method on a static file is a client error, and master says so',
  ref: 'modules/caddyhttp/fileserver/staticfiles.go ServeHTTP: method check returning caddyhttp.Error(405) (Caddy v2.7)',
});

/** Current Caddy's file server always adds Vary: Accept-Encoding to served files (not only when it picked a sidecar). */
const fileVary = (scenario: string, request: string): Pinned => ({
  scenario,
  request,
  caddy262: { headers: { vary: null } },
  master: { headers: { vary: 'Accept-Encoding' } },
  what: '2.6.2 sends Vary: Accept-Encoding only when it served a compressed variant; master always does for files',
  why: 'caches need the Vary key for every variant of a static file, compressed or not',
  ref: 'modules/caddyhttp/fileserver/staticfiles.go: respHeader.Add("Vary", "Accept-Encoding") with the comment citing caddyserver/caddy#5849',
});

export const pinned: Pinned[] = [
  fileServer405('POST /a.txt'),
  fileServer405('PUT /a.txt'),
  fileServer405('DELETE /a.txt'),
  ...['access-log-keys', 'access-log-skip', 'access-log-error-keys', 'access-log-proxied-keys', 'access-log-basic-auth-user', 'tls-access-log-keys'].map(logKeys),
  ...['redir-forms|GET /html', 'redir-head-and-post|HEAD /html'].map((key): Pinned => {
    const [scenario = '', request = ''] = key.split('|');
    return {
      scenario,
      request,
      caddy262: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } },
      master: { headers: { 'content-type': 'text/html; charset=utf-8' } },
      what: '2.6.2 sends the `redir ... html` page as text/plain (sniffed default); master labels it text/html',
      why: 'the page is HTML; a browser shows 2.6.2\'s as text instead of following the meta refresh',
      ref: 'caddyconfig/httpcaddyfile/builtins.go parseRedir: hdr = http.Header{"Content-Type": {"text/html; charset=utf-8"}}',
    };
  }),
  {
    scenario: 'file-server-dir-redirects',
    request: 'GET /docs?x=1',
    caddy262: { status: 308, headers: { location: '/docs/' } },
    master: { headers: { location: '/docs/?x=1' }, body: '<a href="/docs/?x=1">Permanent Redirect</a>.\n\n' },
    what: '2.6.2 drops the query string when adding the directory slash; master keeps it',
    why: 'losing the query on a canonicalising redirect changes what the page receives',
    ref: 'modules/caddyhttp/fileserver/staticfiles.go redirect(): "preserve the query string if present"',
  },
  {
    scenario: 'rp-request-body-limit',
    request: 'over limit',
    caddy262: { status: 502 },
    master: { status: 413 },
    what: '2.6.2 turns the request_body limit hit inside reverse_proxy into 502; master answers 413',
    why: 'the client sent too much; blaming the upstream with 502 is wrong',
    ref: 'modules/caddyhttp/requestbody/requestbody.go errorWrapper: MaxBytesError -> caddyhttp.Error(413)',
  },
  fileVary('precompressed', 'none'),
  fileVary('precompressed', 'no sidecar'),
  fileVary('precompressed-qvalues', 'gzip refused'),
  fileVary('precompressed-qvalues', 'identity only'),
  fileVary('encode-gzip-zstd', 'br only'),
  fileVary('encode-gzip-zstd', 'none'),
  fileVary('encode-gzip-zstd', 'small below minimum'),
  fileVary('encode-gzip-zstd', '304 with encoding'),
  fileVary('encode-gzip-zstd', 'range'),
  fileVary('http2-big-file-and-encode', 'GET /big.txt h2'),
];
