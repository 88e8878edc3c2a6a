/**
 * @module placeholders: the placeholder catalogue (for completion and hover): every placeholder the runtime
 * answers, with a one-line doc, and every Caddyfile shorthand, generated from the adapter's own shorthand table.
 */
import { shorthands } from './shorthands.js';

/** A catalogue entry for a placeholder; a family's name ends in `*` (any name or index there). */
export interface PlaceholderDoc {
  kind: 'placeholder' | 'shorthand';
  /** With its braces: `{http.request.uri.path}`, `{http.request.header.*}`, `{host}`. */
  name: string;
  doc: string;
  /** The app whose strings it is replaced in; a global one is replaced everywhere. */
  app: 'global' | 'http' | 'layer4';
  /** What gives it a value when it has none before (a handler or matcher that ran earlier). */
  setBy?: string;
  /** A shorthand's full placeholder, which the adapter writes in its place. */
  expands?: string;
}

type Row = [name: string, doc: string, setBy?: string];

const GLOBAL: Row[] = [
  ['env.*', 'The value of an environment variable, read when the config loads'],
  // In a Caddyfile the `{file.*}` shorthand takes names of word characters and dashes; a path reaches this one.
  ['file.*', "A file's contents by path (at most 1 MiB, one trailing newline dropped)"],
  ['system.hostname', "The machine's host name"],
  ['system.slash', "The OS's path separator"],
  ['system.os', 'The OS name, as Go spells it (linux, darwin, windows)'],
  ['system.arch', 'The CPU architecture, as Go spells it (amd64, arm64)'],
  ['system.wd', 'The working directory of the process'],
  ['time.now', 'The current time, as Go prints a time.Time'],
  ['time.now.http', 'The current time in the HTTP date format'],
  ['time.now.common_log', 'The current time in the Common Log Format'],
  ['time.now.year', 'The current year'],
  ['time.now.unix', 'The current time as Unix seconds'],
  ['time.now.unix_ms', 'The current time as Unix milliseconds'],
];

const RP = 'reverse_proxy';
const RP_DONE = 'reverse_proxy, once it is done (access logs)';
const HTTP: Row[] = [
  ['http.request.method', 'The request method'],
  ['http.request.scheme', 'The request scheme (http or https)'],
  ['http.request.proto', 'The protocol version (HTTP/1.1, HTTP/2.0)'],
  ['http.request.host', 'The host of the Host header, without the port'],
  ['http.request.port', 'The port of the Host header'],
  ['http.request.hostport', 'The Host header (host and port)'],
  ['http.request.host.labels.*', 'A label of the host by index, counting from the right (0 is the TLD)'],
  ['http.request.remote', "The client's address (host:port)"],
  ['http.request.remote.host', "The client's IP address"],
  ['http.request.remote.port', "The client's port"],
  ['http.request.remote.host/*', "The client's IP address masked to a prefix length (ipv4/ipv6 bits)"],
  ['http.request.local', 'The local address the request came in on (host:port)'],
  ['http.request.local.host', 'The local IP address the request came in on'],
  ['http.request.local.port', 'The local port the request came in on'],
  ['http.request.client_ip', "The client's IP address, from trusted proxy headers when configured"],
  ['http.request.uri', 'The request URI (path and query)'],
  ['http.request.uri_escaped', 'The request URI, query-escaped'],
  ['http.request.uri.path_escaped', 'The request path, query-escaped'],
  ['http.request.uri.query_escaped', 'The query string, query-escaped'],
  ['http.request.uri.prefixed_query', 'The query string with its question mark, or empty'],
  ['http.request.uri.path', 'The request path'],
  ['http.request.uri.path.*', 'A segment of the path by index, from 0'],
  ['http.request.uri.path.dir', 'The directory of the path (up to the last slash)'],
  ['http.request.uri.path.file', 'The file of the path (after the last slash)'],
  ['http.request.uri.path.file.*', 'A part of the file of the path: base or ext'],
  ['http.request.uri.path.file.base', 'The file of the path without its extension'],
  ['http.request.uri.path.file.ext', "The file's extension, with its dot"],
  ['http.request.uri.query', 'The query string, without the question mark'],
  ['http.request.uri.query.*', 'A query argument by name (values joined by commas)'],
  ['http.request.header.*', 'A request header field by name (values joined by commas)'],
  ['http.request.cookie.*', 'A request cookie by name'],
  ['http.request.duration', 'The time since the request started, as a Go duration'],
  ['http.request.duration_ms', 'The time since the request started, in milliseconds'],
  ['http.request.uuid', 'A random UUID, the same for the whole request'],
  ['http.request.orig_method', 'The method before any rewrite'],
  ['http.request.orig_uri', 'The URI before any rewrite'],
  ['http.request.orig_uri.path', 'The path before any rewrite'],
  ['http.request.orig_uri.path.dir', 'The directory of the path before any rewrite'],
  ['http.request.orig_uri.path.file', 'The file of the path before any rewrite'],
  ['http.request.orig_uri.query', 'The query string before any rewrite'],
  ['http.request.orig_uri.prefixed_query', 'The query string before any rewrite, with its question mark, or empty'],
  ['http.request.tls.version', 'The TLS version (tls1.3)', 'a TLS connection'],
  ['http.request.tls.cipher_suite', 'The TLS cipher suite', 'a TLS connection'],
  ['http.request.tls.resumed', 'Whether the TLS session was resumed', 'a TLS connection'],
  ['http.request.tls.proto', 'The protocol negotiated with ALPN', 'a TLS connection'],
  ['http.request.tls.proto_mutual', 'Whether ALPN was mutual (always true)', 'a TLS connection'],
  ['http.request.tls.server_name', 'The server name (SNI) the client asked for', 'a TLS connection'],
  ['http.request.tls.client.fingerprint', 'The SHA-256 of the client certificate', 'a client certificate'],
  ['http.request.tls.client.public_key', "The client certificate's public key (hex)", 'a client certificate'],
  ['http.request.tls.client.public_key_sha256', "The SHA-256 of the client's public key", 'a client certificate'],
  ['http.request.tls.client.issuer', "The client certificate's issuer", 'a client certificate'],
  ['http.request.tls.client.subject', "The client certificate's subject", 'a client certificate'],
  ['http.request.tls.client.serial', "The client certificate's serial number", 'a client certificate'],
  ['http.request.tls.client.certificate_pem', 'The client certificate in PEM', 'a client certificate'],
  ['http.request.tls.client.certificate_der_base64', 'The client certificate in base64 DER', 'a client certificate'],
  [
    'http.request.tls.client.san.*',
    "The client certificate's SANs (dns_names, emails, ips, uris, with an index)",
    'a client certificate',
  ],
  ['http.request.body', 'The request body', 'a handler text that uses it'],
  ['http.request.body_base64', 'The request body in base64', 'a handler text that uses it'],
  ['http.response.status', 'The response status', 'a written response'],
  ['http.response.header.*', 'A response header field by name'],
  ['http.vars.client_ip', "The client's IP address, from trusted proxy headers when configured"],
  ['http.vars.*', 'A variable set by vars or map (client_ip is the client IP)'],
  ['http.regexp.*', 'A capture of a regexp matcher: NAME.INDEX or NAME.GROUP', 'a regexp matcher'],
  ['http.matchers.file.relative', 'The path the file matcher found, relative to its root', 'the file matcher'],
  ['http.matchers.file.absolute', 'The absolute path the file matcher found', 'the file matcher'],
  ['http.matchers.file.type', 'What the file matcher found: file or directory', 'the file matcher'],
  ['http.matchers.file.remainder', 'The path after the file the file matcher split at', 'the file matcher'],
  ['http.auth.user.id', 'The user basic_auth authenticated', 'basic_auth'],
  ['http.error', 'The error being handled', 'handle_errors'],
  ['http.error.status_code', 'The status code of the error being handled', 'handle_errors'],
  ['http.error.status_text', 'The status text of the error being handled', 'handle_errors'],
  ['http.error.message', 'The message of the error being handled', 'handle_errors'],
  ['http.error.id', 'The ID logged with the error being handled', 'handle_errors'],
  ['http.error.trace', 'Where the error being handled was raised', 'handle_errors'],
  ['http.reverse_proxy.upstream.address', 'The address of the chosen upstream', RP],
  ['http.reverse_proxy.upstream.hostport', 'The host:port of the chosen upstream', RP],
  ['http.reverse_proxy.upstream.host', 'The host of the chosen upstream', RP],
  ['http.reverse_proxy.upstream.port', 'The port of the chosen upstream', RP],
  ['http.reverse_proxy.upstream.requests', 'The requests in flight to the chosen upstream', RP],
  ['http.reverse_proxy.upstream.max_requests', 'The most requests the chosen upstream may have in flight', RP],
  ['http.reverse_proxy.upstream.fails', 'The recent failures of the chosen upstream', RP],
  ['http.reverse_proxy.upstream.latency', 'The time until the upstream sent its response headers', RP],
  ['http.reverse_proxy.upstream.latency_ms', 'The upstream latency in milliseconds', RP],
  ['http.reverse_proxy.upstream.duration', 'The time the upstream took, response body included', RP_DONE],
  ['http.reverse_proxy.upstream.duration_ms', 'The upstream duration in milliseconds', RP_DONE],
  ['http.reverse_proxy.duration', 'The time reverse_proxy took, retries included', RP_DONE],
  ['http.reverse_proxy.duration_ms', 'The reverse_proxy duration in milliseconds', RP_DONE],
  ['http.reverse_proxy.status_code', "The upstream's status code, in handle_response routes", RP],
  ['http.reverse_proxy.status_text', "The upstream's status text, in handle_response routes", RP],
  ['http.reverse_proxy.header.*', 'An upstream response header field, in handle_response routes', RP],
  ['http.intercept.status_code', 'The status code the intercepted response had', 'intercept'],
  ['http.intercept.header.*', 'A header field of the intercepted response', 'intercept'],
];

const TLS = 'the tls handler or matcher';
const LAYER4: Row[] = [
  ['l4.conn.remote_addr', "The client's address (host:port)"],
  ['l4.conn.local_addr', 'The local address the connection came in on (host:port)'],
  ['l4.conn.remote_ip', "The client's IP address"],
  ['l4.conn.local_ip', 'The local IP address the connection came in on'],
  ['l4.vars.*', 'A variable set by the vars handler'],
  ['l4.tls.server_name', 'The server name (SNI) of the ClientHello', TLS],
  ['l4.tls.version', 'The TLS version after termination', 'the tls handler'],
  ['l4.tls.cipher_suite', 'The TLS cipher suite after termination', 'the tls handler'],
  ['l4.tls.proto', 'The protocol negotiated with ALPN', 'the tls handler'],
  ['l4.tls.proto_mutual', 'Whether ALPN was mutual (always true)', 'the tls handler'],
  ['l4.tls.resumed', 'Whether the TLS session was resumed', 'the tls handler'],
  ['l4.http.host', 'The Host of the HTTP request the http matcher read', 'the http matcher'],
  ['l4.proxy_protocol.remote', 'The client address the PROXY protocol header gave', 'the proxy_protocol handler'],
  ['l4.quic.version', 'The QUIC version (hex)', 'the quic matcher'],
  ['l4.quic.tls.server_name', 'The server name (SNI) of the QUIC ClientHello', 'the quic matcher'],
  ['l4.rdp.cookie_hash', 'The mstshash cookie of the RDP request', 'the rdp matcher'],
  ['l4.rdp.cookie_ip', 'The IP of the RDP routing token', 'the rdp matcher'],
  ['l4.rdp.cookie_port', 'The port of the RDP routing token', 'the rdp matcher'],
  ['l4.rdp.custom_info', 'The custom routing info of the RDP request', 'the rdp matcher'],
  ['l4.regexp.*', 'A capture of the regexp matcher: INDEX or NAME.INDEX', 'the regexp matcher'],
];

let cached: PlaceholderDoc[] | undefined;

/** The placeholder catalogue: the placeholders by app, then the shorthands (whose doc is their expansion's). */
export function placeholders(): readonly PlaceholderDoc[] {
  if (cached) return cached;
  const entries = (rows: Row[], app: PlaceholderDoc['app']): PlaceholderDoc[] =>
    rows.map(([name, doc, setBy]) => ({ kind: 'placeholder', name: `{${name}}`, doc, app, ...(setBy && { setBy }) }));
  const full = [...entries(GLOBAL, 'global'), ...entries(HTTP, 'http'), ...entries(LAYER4, 'layer4')];
  const byName = new Map(full.map((p) => [p.name, p]));
  const short = shorthands().map(({ short, long }): PlaceholderDoc => {
    const target = byName.get(long) ?? familyOf(full, long);
    return {
      kind: 'shorthand',
      name: short,
      doc: target ? `${target.doc} (${long})` : `Shorthand for ${long}`,
      app: 'http',
      expands: long,
      ...(target?.setBy && { setBy: target.setBy }),
    };
  });
  cached = [...full, ...short];
  return cached;
}

/** The family entry (`{http.request.header.*}`) a name belongs to. */
function familyOf(list: readonly PlaceholderDoc[], name: string): PlaceholderDoc | undefined {
  const key = name.slice(1, -1);
  let best: PlaceholderDoc | undefined;
  for (const p of list) {
    if (!p.name.endsWith('*}')) continue;
    const prefix = p.name.slice(1, -2);
    if (key.startsWith(prefix) && (!best || prefix.length > best.name.length - 3)) best = p;
  }
  return best;
}

/**
 * The catalogue entry for a placeholder as written (with braces): its own entry, or the family it belongs to
 * (`{http.request.header.X-Id}` gives `{http.request.header.*}`, `{header.X-Id}` gives `{header.*}`).
 */
export function lookupPlaceholder(name: string): PlaceholderDoc | undefined {
  const all = placeholders();
  // A shorthand first: in a Caddyfile it is what a name that both match means.
  const short = all.filter((p) => p.kind === 'shorthand');
  return (
    short.find((p) => p.name === name) ??
    all.find((p) => p.name === name) ??
    familyOf(short, name) ??
    familyOf(all, name)
  );
}
