/**
 * @module diff/pinned: where Caddy 2.6.2 (the oracle we can run) and current Caddy (master, the spec) disagree.
 * For these requests the suite checks that caddy 2.6.2 still does what `caddy262` says (so the table cannot
 * go stale silently) and then compares proxy with 2.6.2's answer rewritten per `master`.
 */
import type { Normalized } from './compare.js';
import type { Pinned, PinnedRule } from './types.js';

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
    headers: {
      allow: 'GET, HEAD',
      'content-length': '0',
      'content-type': null,
      'accept-ranges': null,
      etag: null,
      'last-modified': null,
    },
    body: '',
  },
  what: '2.6.2 serves the file to any method; master answers 405 with Allow: GET, HEAD (empty body, no handle_errors)',
  why: 'a write method on a static file is a client error, and master says so',
  ref: 'modules/caddyhttp/fileserver/staticfiles.go ServeHTTP: method check returning caddyhttp.Error(405) (Caddy v2.7)',
});

/**
 * Not a 2.6.2-vs-master difference: proxy refuses request framings that Go accepts, because RFC 9112 lets (or
 * tells) a server refuse them and two parsers in a chain that disagree on them are how requests are smuggled.
 */
const refusedFraming = (request: string, caddy262: number, what: string, ref: string): Pinned => ({
  scenario: 'bad-request-line',
  request,
  caddy262: { status: caddy262 },
  master: {
    status: 400,
    headers: { connection: 'close', 'content-type': 'text/plain; charset=utf-8' },
    body: '400 Bad Request',
  },
  what: `deliberate, not master: ${what}; proxy answers 400 and closes`,
  why: 'request smuggling: a front proxy that frames the request differently would see a second request in the body',
  ref,
});

/** encode appends the encoding to a strong ETag in current Caddy (2.6.2 leaves it as the handler set it). */
const encodeEtag = (key: string): Pinned => {
  const [scenario = '', request = '', enc = ''] = key.split('|');
  return {
    scenario,
    request,
    caddy262: { headers: { 'content-encoding': enc, etag: '<etag>' } },
    master: { headers: { etag: `<etag>-${enc}` } },
    what: '2.6.2 keeps a strong ETag unchanged on a response it compresses; master appends "-<encoding>" inside the quotes',
    why: 'RFC 9110 8.8.3.3: a strong validator must differ between the identity and the encoded representation',
    ref: 'modules/caddyhttp/encode/encode.go (master) responseWriter.init: Etag suffix; ServeHTTP strips it from If-None-Match',
  };
};

export const pinned: Pinned[] = [
  // Deliberate differences (test/diff/scenarios/deliberate.ts): not 2.6.2-vs-master, proxy chooses safety.
  {
    scenario: 'rewrite-client-placeholders',
    request: 'placeholder in the path',
    caddy262: { body: '/q7linux&z=1' },
    master: { headers: { 'content-length': '22' }, body: '/q7%7Bsystem.os%7D&z=1' },
    what: "deliberate: Caddy evaluates placeholders that a client sent inside the path when a rewrite template holds {http.request.uri}; proxy keeps the client's text literal",
    why: 'a client must not be able to read environment variables, files or system facts by naming a placeholder in its URL',
    ref: 'modules/caddyhttp/rewrite/rewrite.go Rewrite: repl.ReplaceAll runs over a template into which the request URI was already expanded',
  },
  {
    scenario: 'uri-strip-prefix-mid-segment',
    request: 'mid-segment',
    caddy262: { body: 'xyz' },
    master: { headers: { 'content-length': '4' }, body: '/xyz' },
    what: 'deliberate: `uri strip_prefix /api` on /apixyz leaves Caddy a path without its leading slash ("xyz"); proxy keeps it ("/xyz")',
    why: 'a request path that does not start with "/" is not a valid origin-form target for an upstream or a file lookup',
    ref: 'modules/caddyhttp/rewrite/rewrite.go trimPathPrefix',
  },
  {
    scenario: 'rp-malformed-chunked-body',
    request: 'bad chunk size',
    caddy262: { status: 502 },
    master: { status: 400 },
    what: 'deliberate: a malformed chunked request body read by reverse_proxy is a 502 for Caddy (the transport fails); proxy answers 400 and closes',
    why: 'the client sent the broken framing, not the upstream; a 4xx keeps it out of upstream health and error budgets (RFC 9112 7.1)',
    ref: 'modules/caddyhttp/reverseproxy/reverseproxy.go: transport errors become 502 (statusError)',
  },
  refusedFraming(
    'both CL and TE',
    200,
    'Go (2.6.2 and master) lets Transfer-Encoding: chunked override a Content-Length',
    'RFC 9112 6.3 item 3: a server MAY reject such a message and MUST close the connection',
  ),
  refusedFraming(
    'bare LF head',
    200,
    'Go reads bare LF line ends in a request head',
    'RFC 9112 2.2: a recipient MAY take a bare LF as a line end (so it may also refuse it)',
  ),
  refusedFraming(
    'chunked, identity',
    501,
    'Go answers 501 to any Transfer-Encoding but one "chunked"',
    'RFC 9112 6.3 item 4: chunked not final in a request: the server MUST answer 400 and close',
  ),
  ...[
    'encode-with-precompressed|on the fly|gzip',
    'encode-gzip-zstd|gzip big|gzip',
    'encode-gzip-zstd|zstd big|zstd',
    'encode-gzip-zstd|both prefer|gzip',
    'encode-gzip-zstd|q order|zstd',
    'encode-gzip-zstd|HEAD|gzip',
  ].map(encodeEtag),
  ...['GET /x.php.', 'GET /x.php%20'].map(
    (request): Pinned => ({
      scenario: 'match-path-trailing-dot',
      request,
      caddy262: { body: 'php' },
      master: { headers: { 'content-length': '5' }, body: 'other' },
      what: '2.6.2\'s path matcher trims trailing dots and spaces from the path on every OS ("/x.php." matches *.php); master only on Windows',
      why: 'only Windows file systems ignore trailing dots and spaces; elsewhere "/x.php." names another file, and master matches it as such',
      ref: 'modules/caddyhttp/matchers.go MatchPath (master): `if runtime.GOOS == "windows" { reqPath = strings.TrimRight(reqPath, ". ") }` (caddy#5613)',
    }),
  ),
  {
    scenario: 'encode-gzip-zstd',
    request: 'range over minimum',
    caddy262: { status: 206, headers: { 'content-encoding': 'gzip', 'content-range': 'bytes 0-999/102500' } },
    master: { headers: { 'content-encoding': null, 'content-length': '1000', 'accept-ranges': 'bytes' } },
    what: 'caddy compresses a 206 answer (over minimum_length) whose Content-Range counts identity bytes; proxy leaves range answers unencoded',
    why:
      'deliberate, for correctness: with Content-Encoding the Content-Range must count bytes of the encoded representation ' +
      "(RFC 9110 14.4), so a client assembling ranges from caddy's answers gets corrupt content",
    ref: 'modules/caddyhttp/encode/encode.go ServeHTTP/init: no check of Range or the 206 status',
  },
  fileServer405('POST /a.txt'),
  fileServer405('PUT /a.txt'),
  fileServer405('DELETE /a.txt'),
  ...[
    'access-log-keys',
    'access-log-skip',
    'access-log-error-keys',
    'access-log-basic-auth-user',
    'tls-access-log-keys',
  ].map(logKeys),
  {
    ...logKeys('access-log-proxied-keys'),
    master: { logKeys: { add: ['bytes_read', 'request.client_ip', 'resp_headers[Via]'] } },
    what: '2.6.2 logs neither request.client_ip nor bytes_read, and its proxied responses carry no Via; master logs all three',
    why: 'current Caddy is the spec: besides the 2.7 log keys, it names itself in Via on proxied responses, which the access log records with the other response fields',
    ref: 'modules/caddyhttp/server.go logRequest, LoggableHTTPRequest; modules/caddyhttp/reverseproxy/reverseproxy.go finalizeResponse (Via, since v2.8)',
  },
  ...['redir-forms|GET /html', 'redir-head-and-post|HEAD /html'].map((key): Pinned => {
    const [scenario = '', request = ''] = key.split('|');
    return {
      scenario,
      request,
      caddy262: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } },
      master: { headers: { 'content-type': 'text/html; charset=utf-8' } },
      what: '2.6.2 sends the `redir ... html` page as text/plain (sniffed default); master labels it text/html',
      why: "the page is HTML; a browser shows 2.6.2's as text instead of following the meta refresh",
      ref: 'caddyconfig/httpcaddyfile/builtins.go parseRedir: hdr = http.Header{"Content-Type": {"text/html; charset=utf-8"}}',
    };
  }),
  {
    scenario: 'file-server-dir-redirects',
    request: 'GET /docs?x=1',
    caddy262: { status: 308, headers: { location: '/docs/' } },
    master: {
      headers: { location: '/docs/?x=1', 'content-length': '46' },
      body: '<a href="/docs/?x=1">Permanent Redirect</a>.\n\n',
    },
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
];

/** The Via value a proxy adds for a message of this HTTP version (RFC 9110 7.6.3: received-protocol + pseudonym). */
const via = (req: { http?: '1.0' | '1.1' | '2' }): string => `${req.http === '2' ? '2.0' : (req.http ?? '1.1')} Caddy`;

/** Adds a field to the echo upstream's JSON report of what it received (its headers are sorted by name). */
function echoWith(body: string, name: string, value: string): string | undefined {
  let o: { up?: string; headers?: Record<string, string> };
  try {
    o = JSON.parse(body) as typeof o;
  } catch {
    return undefined;
  }
  if (o === null || typeof o !== 'object' || typeof o.up !== 'string' || !o.headers || name in o.headers)
    return undefined;
  o.headers = Object.fromEntries(
    [...Object.entries(o.headers), [name, value] as [string, string]].sort(([a], [b]) => a.localeCompare(b)),
  );
  // The upstream ends its JSON with a newline.
  return JSON.stringify(o) + (/\s*$/.exec(body)?.[0] ?? '');
}

/** Differences that hold for every response of a kind, wherever a scenario produces one. */
export const pinnedRules: PinnedRule[] = [
  {
    name: 'Debian browse template',
    master(resp) {
      // A browse listing from Debian's binary: its template turned `HumanModTime "2006-…"` into `" 2006-…"`.
      if (!resp.body.includes('<time datetime=" ')) return undefined;
      let body = resp.body.replaceAll('<time datetime=" ', '<time datetime="');
      if (!body.includes('a:visited:hover')) {
        body = body
          .replace(/(a:visited\s*\{\s*color:\s*#800080;\s*\})/, '$1\na:visited:hover { color: #b900b9; }')
          .replace(
            /(h1 a:hover\s*\{\s*color:\s*#62b2fd;\s*\})/,
            '$1\na:visited { color: #c269c2; }\na:visited:hover { color: #d03cd0; }',
          );
      }
      return { ...resp, body };
    },
    what:
      "Debian's caddy 2.6.2 embeds a reformatted browse.html (layout is ignored by body_ 'html'): it lacks the a:visited:hover " +
      'rules (light and dark) of upstream 2.6.2\'s template, and its `HumanModTime " 2006-01-02T15:04:05Z"` puts a stray space ' +
      "into every <time datetime>; proxy serves upstream's template",
    why:
      "the difference comes from Debian's packaging, not from Caddy: upstream 2.6.2 has neither quirk (the stray space makes " +
      'the datetime attribute invalid); master has redesigned the page altogether',
    ref: 'modules/caddyhttp/fileserver/browse.html in the caddy 2.6.2 source (/work/ref) vs `strings /usr/bin/caddy | grep datetime=`',
  },
  {
    name: 'reverse_proxy Via',
    master(resp, req) {
      // Responses that came through reverse_proxy (answers of the echo upstream, marked by it or by their
      // body) or php_fastcgi (php-cgi runs with expose_php, so X-Powered-By marks them). A 101 is handed
      // over before the response is finalized, so it gets none.
      const echoed = echoWith(resp.body, 'via', via(req));
      const proxied =
        resp.headers.has('x-upstream') ||
        echoed !== undefined ||
        (resp.headers.get('x-powered-by') ?? '').startsWith('PHP/');
      if (!proxied || resp.status === 101 || resp.headers.has('via')) return undefined;
      const out: Normalized = { ...resp, headers: new Map(resp.headers) };
      out.headers.set('via', '1.1 Caddy');
      if (echoed !== undefined) out.body = echoed;
      return out;
    },
    what: '2.6.2 adds no Via; master adds "Via: <proto> Caddy" to the request sent upstream and to the response',
    why: 'RFC 9110 7.6.3: a proxy must send Via; current Caddy does',
    ref: 'modules/caddyhttp/reverseproxy/reverseproxy.go (master): Via set in prepareRequest and added in finalizeResponse',
  },
  {
    name: 'file_server Vary',
    master(resp, _req, sc) {
      // A file response (it has validators) from a site with a file server, and 2.6.2 sent no Vary.
      if (!/\bfile_server\b|\bphp_fastcgi\b/.test(sc.caddyfile) || resp.headers.has('vary')) return undefined;
      // templates takes the validators off the file it ran.
      const ranTemplate = /\btemplates\b/.test(sc.caddyfile) && resp.status === 200;
      if (!resp.headers.has('last-modified') && !resp.headers.has('etag') && !ranTemplate) return undefined;
      const out: Normalized = { ...resp, headers: new Map(resp.headers) };
      out.headers.set('vary', 'Accept-Encoding');
      return out;
    },
    what: '2.6.2 sends Vary: Accept-Encoding on a file only when it served a compressed variant; master always does',
    why: 'caches need the Vary key for every variant of a static file, compressed or not',
    ref: 'modules/caddyhttp/fileserver/staticfiles.go (master): respHeader.Add("Vary", "Accept-Encoding"), citing caddyserver/caddy#5849',
  },
  {
    name: 'prefixed query placeholder',
    master(resp, req) {
      // 2.6.2 leaves the placeholder it does not know in the text; master puts "?" and the raw query (or nothing).
      const name = '{http.request.uri.prefixed_query}';
      if (!resp.body.includes(name)) return undefined;
      const path = req.path ?? '/';
      const q = path.indexOf('?');
      const body = resp.body.replaceAll(name, q < 0 || q === path.length - 1 ? '' : path.slice(q));
      const out: Normalized = { ...resp, body, headers: new Map(resp.headers) };
      out.headers.set('content-length', String(Buffer.byteLength(body)));
      return out;
    },
    what: '2.6.2 has no {http.request.uri.prefixed_query} (it stays literal); master gives "?" and the query, or ""',
    why: 'current Caddy is the spec; the {?query} shorthand expands to it',
    ref: 'modules/caddyhttp/replacer.go (master): case "http.request.uri.prefixed_query"',
  },
];
