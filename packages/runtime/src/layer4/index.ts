/**
 * @module layer4: caddy-l4's `layer4` app and `caddy.listeners.layer4` listener wrapper.
 *
 * Each connection runs through compiled routes (serve.ts): matchers look at prefetched bytes without
 * consuming them, one matching deadline bounds the whole matching phase, handler chains may continue
 * (`tls` then `proxy`), and what no route takes falls through (listener wrapper: a stream replaying the
 * peeked bytes; app: closed).
 *
 * PostgreSQL beyond caddy-l4 (route lists that mention postgres matchers, postgres_tls, or ALPN
 * "postgresql" are PostgreSQL-aware):
 * - GSSENCRequest, and an SSLRequest no route takes, are declined with 'N' and the next message matched;
 *   an unrouted StartupMessage gets a FATAL ErrorResponse; a STARTTLS ClientHello no route takes is closed.
 * - `proxy` after `postgres_tls` without `tls` sends its own SSLRequest upstream and requires 'S' before
 *   splicing the client's TLS (passthrough by SNI); upstream option `"starttls": "postgres"` re-encrypts
 *   to the backend after termination; unreachable backends answer a PostgreSQL ErrorResponse.
 * - BackendKeyData of terminated sessions is remembered so a CancelRequest reaches the backend that
 *   issued its key (in any route list); cancels with keys we cannot see (passthrough) fan out to the
 *   backends of live passthrough sessions.
 */
export { compileLayer4App, startLayer4App, type CompiledLayer4App, type Layer4AppHandle } from './app.js';
export { createLayer4ListenerWrapper } from './listener.js';
export { Layer4ConfigError } from './errors.js';
/** Named apart from the tls app's parseClientHello (one record): this one takes a buffered prefix and may say 'more'. */
export {
  parseClientHello as parseBufferedClientHello,
  type ClientHello as BufferedClientHello,
} from './tls/client-hello.js';
export {
  parseFirstMessage as parsePostgresFirstMessage,
  type FirstMessage as PostgresFirstMessage,
} from './postgres/messages.js';
export { buildProxyHeader, parseProxyHeader } from './proxy/proxy-protocol-header.js';
export type { CertificatePair, Layer4Context } from './types.js';
