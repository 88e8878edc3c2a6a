/**
 * @module shorthands: Caddyfile placeholder shorthands (`{host}`, `{header.X}`...) expanded to full placeholders, and
 * the reverse lookup `map` uses to refuse a destination that is one of them.
 */

const SIMPLE: [string, string][] = [
  ['{host}', '{http.request.host}'],
  ['{hostport}', '{http.request.hostport}'],
  ['{port}', '{http.request.port}'],
  ['{orig_method}', '{http.request.orig_method}'],
  ['{orig_uri}', '{http.request.orig_uri}'],
  ['{orig_path}', '{http.request.orig_uri.path}'],
  ['{orig_dir}', '{http.request.orig_uri.path.dir}'],
  ['{orig_file}', '{http.request.orig_uri.path.file}'],
  ['{orig_query}', '{http.request.orig_uri.query}'],
  ['{orig_?query}', '{http.request.orig_uri.prefixed_query}'],
  ['{method}', '{http.request.method}'],
  ['{uri}', '{http.request.uri}'],
  ['{%uri}', '{http.request.uri_escaped}'],
  ['{path}', '{http.request.uri.path}'],
  ['{%path}', '{http.request.uri.path_escaped}'],
  ['{dir}', '{http.request.uri.path.dir}'],
  ['{file}', '{http.request.uri.path.file}'],
  ['{query}', '{http.request.uri.query}'],
  ['{%query}', '{http.request.uri.query_escaped}'],
  ['{?query}', '{http.request.uri.prefixed_query}'],
  ['{remote}', '{http.request.remote}'],
  ['{remote_host}', '{http.request.remote.host}'],
  ['{remote_port}', '{http.request.remote.port}'],
  ['{scheme}', '{http.request.scheme}'],
  ['{uuid}', '{http.request.uuid}'],
  ['{tls_cipher}', '{http.request.tls.cipher_suite}'],
  ['{tls_version}', '{http.request.tls.version}'],
  ['{tls_client_fingerprint}', '{http.request.tls.client.fingerprint}'],
  ['{tls_client_issuer}', '{http.request.tls.client.issuer}'],
  ['{tls_client_serial}', '{http.request.tls.client.serial}'],
  ['{tls_client_subject}', '{http.request.tls.client.subject}'],
  ['{tls_client_certificate_pem}', '{http.request.tls.client.certificate_pem}'],
  ['{tls_client_certificate_der_base64}', '{http.request.tls.client.certificate_der_base64}'],
  ['{upstream_hostport}', '{http.reverse_proxy.upstream.hostport}'],
  ['{client_ip}', '{http.vars.client_ip}'],
];

const REGEXPS: [RegExp, string][] = [
  [/\{header\.([\w-]*)\}/g, '{http.request.header.$1}'],
  [/\{cookie\.([\w-]*)\}/g, '{http.request.cookie.$1}'],
  [/\{labels\.([\w-]*)\}/g, '{http.request.host.labels.$1}'],
  [/\{path\.([\w-]*)\}/g, '{http.request.uri.path.$1}'],
  [/\{file\.([\w-]*)\}/g, '{http.request.uri.path.file.$1}'],
  [/\{query\.([\w-]*)\}/g, '{http.request.uri.query.$1}'],
  [/\{re\.([\w-.]*)\}/g, '{http.regexp.$1}'],
  [/\{vars\.([\w-]*)\}/g, '{http.vars.$1}'],
  [/\{rp\.([\w-.]*)\}/g, '{http.reverse_proxy.$1}'],
  [/\{resp\.([\w-.]*)\}/g, '{http.intercept.$1}'],
  [/\{err\.([\w-.]*)\}/g, '{http.error.$1}'],
  [/\{file_match\.([\w-]*)\}/g, '{http.matchers.file.$1}'],
];

/** Expands the shorthands in one token's text (Go's `strings.NewReplacer` then the regexps, in order). */
export function replaceShorthands(text: string): string {
  if (!text.includes('{')) return text;
  let out = '';
  outer: for (let i = 0; i < text.length; ) {
    if (text[i] === '{') {
      for (const [from, to] of SIMPLE) {
        if (text.startsWith(from, i)) {
          out += to;
          i += from.length;
          continue outer;
        }
      }
    }
    out += text[i];
    i++;
  }
  for (const [re, to] of REGEXPS) out = out.replace(re, to);
  return out;
}

const REVERSED = new Map(SIMPLE.map(([short, long]) => [long.slice(1, -1), short]));

/**
 * Caddy's `WasReplacedPlaceholderShorthand`: the shorthand whose expansion `token` is, compared without the braces
 * around either (Go's `strings.Trim(token, "{}")`), so `http.request.host` and `{http.request.host}` both give `{host}`.
 */
export function shorthandFor(token: string): string | undefined {
  return REVERSED.get(token.replace(/^[{}]+|[{}]+$/g, ''));
}
