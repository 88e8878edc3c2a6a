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

/**
 * The shorthand families (`{header.X}`...): the short prefix, the full prefix it becomes, and the characters the
 * name may hold. Caddy writes each as a regexp; they are built from this table so the catalogue reads the same one.
 */
const FAMILIES: [string, string, string][] = [
  ['header', 'http.request.header', '[\\w-]*'],
  ['cookie', 'http.request.cookie', '[\\w-]*'],
  ['labels', 'http.request.host.labels', '[\\w-]*'],
  ['path', 'http.request.uri.path', '[\\w-]*'],
  ['file', 'http.request.uri.path.file', '[\\w-]*'],
  ['query', 'http.request.uri.query', '[\\w-]*'],
  ['re', 'http.regexp', '[\\w-.]*'],
  ['vars', 'http.vars', '[\\w-]*'],
  ['rp', 'http.reverse_proxy', '[\\w-.]*'],
  ['resp', 'http.intercept', '[\\w-.]*'],
  ['err', 'http.error', '[\\w-.]*'],
  ['file_match', 'http.matchers.file', '[\\w-]*'],
];

const REGEXPS: [RegExp, string][] = FAMILIES.map(([short, long, chars]) => [
  new RegExp(`\\{${short}\\.(${chars})\\}`, 'g'),
  `{${long}.$1}`,
]);

/** A shorthand and what it expands to; a family's pair ends in `.*` (any name). */
export interface Shorthand {
  short: string;
  long: string;
}

/** Every shorthand, in Caddy's order: the fixed ones, then the families. */
export function shorthands(): Shorthand[] {
  return [
    ...SIMPLE.map(([short, long]) => ({ short, long })),
    ...FAMILIES.map(([short, long]) => ({ short: `{${short}.*}`, long: `{${long}.*}` })),
  ];
}

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
