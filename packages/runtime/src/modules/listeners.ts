/** @module modules/listeners: listener wrappers (`caddy.listeners.*`) of an http server's `listener_wrappers`. */
import { httpRedirectSchema, proxyProtocolSchema, tlsListenerSchema } from '@proxy/contract';
import { listenerWrapper, type AnyModule } from '../modules.js';
import { httpRedirectWrapper } from '../listen/http-redirect.js';
import { proxyProtocolWrapper } from '../listen/proxy-protocol.js';
import { layer4ListenerModule } from '../layer4-modules.js';

export const listenerModules: AnyModule[] = [
  // The http server terminates TLS where `tls` stands in the chain; there is nothing to create.
  {
    id: 'caddy.listeners.tls',
    kind: 'listener',
    doc: 'Marks where TLS is terminated in the chain.',
    schema: tlsListenerSchema,
  },
  listenerWrapper(
    'http_redirect',
    'Redirects plain HTTP on a TLS port to HTTPS.',
    httpRedirectWrapper,
    httpRedirectSchema,
  ),
  listenerWrapper(
    'proxy_protocol',
    'Reads a PROXY protocol header from allowed sources.',
    proxyProtocolWrapper,
    proxyProtocolSchema,
  ),
  layer4ListenerModule,
];
