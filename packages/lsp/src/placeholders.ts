/** @module placeholders: the placeholders offered inside `{`: the Caddyfile shorthands and common full names. */

export const PLACEHOLDERS: readonly string[] = [
  'host', 'hostport', 'port', 'method', 'uri', 'path', 'dir', 'file', 'query', '?query', '%uri', '%path', '%query',
  'remote', 'remote_host', 'remote_port', 'scheme', 'uuid', 'orig_method', 'orig_uri', 'orig_path', 'orig_dir',
  'orig_file', 'orig_query', 'orig_?query', 'tls_cipher', 'tls_version', 'tls_client_fingerprint',
  'tls_client_issuer', 'tls_client_serial', 'tls_client_subject', 'tls_client_certificate_pem',
  'tls_client_certificate_der_base64', 'upstream_hostport', 'client_ip', 'err.status_code', 'err.status_text',
  'err.message', 'err.trace', 'err.id', 'header.', 'cookie.', 'query.', 'labels.', 'path.', 'file.', 'vars.',
  're.', 'rp.', 'resp.', 'system.hostname', 'system.os', 'system.arch', 'env.', 'time.now', 'time.now.unix',
  'time.now.unix_ms', 'time.now.common_log', 'time.now.year', 'http.request.host', 'http.request.uri',
  'http.request.uri.path', 'http.request.method', 'http.request.remote.host', 'http.request.header.',
  'http.vars.', 'http.error.status_code', 'http.reverse_proxy.upstream.hostport', 'http.reverse_proxy.status_code',
  'l4.conn.remote_addr', 'l4.conn.local_addr', 'l4.tls.server_name', 'l4.proxy_protocol.remote',
];
