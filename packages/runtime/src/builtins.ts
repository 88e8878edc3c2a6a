/** @module builtins: registers the modules this runtime implements, and names the Caddy ones it does not yet. */
import { registerListenerWrapper, registerModule, registerUnsupported, type ModuleInfo } from './modules.js';
import { httpRedirectSchema, httpRedirectWrapper } from './listen/http-redirect.js';
import { proxyProtocolSchema, proxyProtocolWrapper } from './listen/proxy-protocol.js';
import { s } from './schema.js';
import { httpAppModule } from './http/app.js';
import { hostMatcher } from './http/matchers/host.js';
import { pathMatcher } from './http/matchers/path.js';
import { pathRegexpMatcher } from './http/matchers/path-regexp.js';
import { methodMatcher } from './http/matchers/method.js';
import { headerMatcher } from './http/matchers/header.js';
import { headerRegexpMatcher } from './http/matchers/header-regexp.js';
import { queryMatcher } from './http/matchers/query.js';
import { protocolMatcher } from './http/matchers/protocol.js';
import { clientIpMatcher, remoteIpMatcher } from './http/matchers/ip.js';
import { notMatcher } from './http/matchers/not.js';
import { varsMatcher } from './http/matchers/vars.js';
import { varsRegexpMatcher } from './http/matchers/vars-regexp.js';
import { fileMatcher } from './http/matchers/file.js';
import { tlsMatcher } from './http/matchers/tls.js';
import { staticResponse } from './http/handlers/static-response.js';
import { subroute } from './http/handlers/subroute.js';
import { headersHandler } from './http/handlers/headers.js';
import { rewriteHandler } from './http/handlers/rewrite.js';
import { varsHandler } from './http/handlers/vars.js';
import { mapHandler } from './http/handlers/map.js';
import { errorHandler } from './http/handlers/error.js';
import { requestBody } from './http/handlers/request-body.js';
import { authentication, httpBasicProvider } from './http/handlers/authentication.js';
import { encode } from './http/handlers/encode.js';
import { fileServer } from './http/handlers/file-server.js';
import { invokeHandler } from './http/handlers/invoke.js';
import { logAppend } from './http/handlers/log-append.js';
import { intercept } from './http/handlers/intercept.js';
import { reverseProxy } from './http/handlers/reverse-proxy/handler.js';
import { copyResponse, copyResponseHeaders } from './http/handlers/reverse-proxy/copy-response.js';
import { selectionPolicyModules } from './http/handlers/reverse-proxy/policies.js';
import { httpTransportModule } from './http/handlers/reverse-proxy/transport.js';
import { fastcgiTransportModule } from './http/handlers/reverse-proxy/fastcgi.js';
import { aUpstreamsModule } from './http/handlers/reverse-proxy/dynamic-a.js';
import { acmeIssuerModule, internalIssuerModule, pkiAppSchema, tlsAppModule } from './tls/app.js';
import { handshakeMatchSchemas } from './tls/policies.js';
import { registerLayer4Modules } from './layer4-modules.js';

let done = false;

/** Registers the built-in modules (idempotent). */
export function registerBuiltins(): void {
  if (done) return;
  done = true;
  const mods: ModuleInfo[] = [
    httpAppModule, tlsAppModule, internalIssuerModule, acmeIssuerModule,
    hostMatcher, pathMatcher, pathRegexpMatcher, methodMatcher, headerMatcher, headerRegexpMatcher, queryMatcher,
    protocolMatcher, remoteIpMatcher, clientIpMatcher, notMatcher, varsMatcher, varsRegexpMatcher, fileMatcher, tlsMatcher,
    staticResponse, subroute, headersHandler, rewriteHandler, varsHandler, mapHandler, errorHandler, requestBody,
    authentication, httpBasicProvider, encode, fileServer, invokeHandler, logAppend, intercept, reverseProxy, copyResponse, copyResponseHeaders,
    httpTransportModule, fastcgiTransportModule, aUpstreamsModule, ...selectionPolicyModules,
  ] as ModuleInfo[];
  for (const m of mods) registerModule(m);
  registerModule({ id: 'pki', schema: pkiAppSchema });
  registerModule({ id: 'caddy.listeners.tls', schema: s.obj({}) });
  registerListenerWrapper('http_redirect', httpRedirectWrapper, httpRedirectSchema);
  registerListenerWrapper('proxy_protocol', proxyProtocolWrapper, proxyProtocolSchema);
  for (const [name, schema] of Object.entries(handshakeMatchSchemas)) registerModule({ id: `tls.handshake_match.${name}`, schema });
  registerModule({ id: 'http.encoders.gzip', schema: s.obj({ level: s.int }) });
  registerModule({ id: 'http.encoders.zstd', schema: s.obj({ level: s.str }) });
  registerUnsupported([
    'http.matchers.expression', 'http.matchers.path_regexp_escaped',
    'http.handlers.templates', 'http.handlers.push', 'http.handlers.tracing', 'http.handlers.metrics',
    'http.matchers.url_pattern',
    'http.reverse_proxy.upstreams.srv', 'http.reverse_proxy.upstreams.multi',
    'http.handlers.acme_server',
    'tls.issuance.zerossl', 'tls.handshake_match.remote_ip_not',
  ], 'this runtime does not implement it');
  registerLayer4Modules();
  registerUnsupported(['events'], 'this app is not available in this build');
}
