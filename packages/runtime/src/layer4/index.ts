/** @module layer4: caddy-l4's `layer4` app and listener wrapper. */
export { startLayer4App, type Layer4AppHandle } from './app.js';
export { createLayer4ListenerWrapper } from './listener.js';
export { Layer4ConfigError } from './errors.js';
/** Named apart from the tls app's parseClientHello (one record): this one takes a buffered prefix and may say 'more'. */
export { parseClientHello as parseBufferedClientHello, type ClientHello as BufferedClientHello } from './tls/client-hello.js';
export { parseFirstMessage as parsePostgresFirstMessage, type FirstMessage as PostgresFirstMessage } from './postgres/messages.js';
export { buildProxyHeader, parseProxyHeader } from './proxy/proxy-protocol-header.js';
export type { CertificatePair, Layer4Context } from './types.js';
