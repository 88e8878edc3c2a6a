/** @module layer4: caddy-l4's `layer4` app and listener wrapper. */
export { startLayer4App, type Layer4AppHandle } from './app.js';
export { createLayer4ListenerWrapper } from './listener.js';
export { Layer4ConfigError } from './errors.js';
export { parseClientHello, type ClientHello } from './tls/client-hello.js';
export { parseFirstMessage, type FirstMessage } from './postgres/messages.js';
export { buildProxyHeader, parseProxyHeader } from './proxy/proxy-protocol-header.js';
export type { CertificatePair, Layer4Context } from './types.js';
