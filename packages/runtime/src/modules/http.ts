/** @module modules/http: the http app's modules: the app, matchers, handlers and the parts they hold. */
import {
  aUpstreamsSchema,
  fastcgiTransportSchema,
  gzipEncoderSchema,
  httpTransportSchema,
  selectionPolicySchemas,
  zstdEncoderSchema,
} from '@proxy/contract';
import type { AnyModule } from '../modules.js';
import { httpAppModule } from '../http/app.js';
import { hostMatcher } from '../http/matchers/host.js';
import { pathMatcher } from '../http/matchers/path.js';
import { pathRegexpMatcher } from '../http/matchers/path-regexp.js';
import { methodMatcher } from '../http/matchers/method.js';
import { headerMatcher } from '../http/matchers/header.js';
import { headerRegexpMatcher } from '../http/matchers/header-regexp.js';
import { queryMatcher } from '../http/matchers/query.js';
import { protocolMatcher } from '../http/matchers/protocol.js';
import { clientIpMatcher, remoteIpMatcher } from '../http/matchers/ip.js';
import { notMatcher } from '../http/matchers/not.js';
import { varsMatcher } from '../http/matchers/vars.js';
import { varsRegexpMatcher } from '../http/matchers/vars-regexp.js';
import { fileMatcher } from '../http/matchers/file.js';
import { tlsMatcher } from '../http/matchers/tls.js';
import { expressionMatcher } from '../http/matchers/expression.js';
import { staticResponse } from '../http/handlers/static-response.js';
import { metricsHandler } from '../http/handlers/metrics.js';
import { subroute } from '../http/handlers/subroute.js';
import { headersHandler } from '../http/handlers/headers.js';
import { rewriteHandler } from '../http/handlers/rewrite.js';
import { varsHandler } from '../http/handlers/vars.js';
import { tracingHandler } from '../http/handlers/tracing.js';
import { acmeServerHandler } from '../http/acme-server/handler.js';
import { mapHandler } from '../http/handlers/map.js';
import { errorHandler } from '../http/handlers/error.js';
import { requestBody } from '../http/handlers/request-body.js';
import { timeouts } from '../http/handlers/timeouts.js';
import { authentication, httpBasicProvider } from '../http/handlers/authentication.js';
import { encode } from '../http/handlers/encode.js';
import { fileServer } from '../http/handlers/file-server.js';
import { invokeHandler } from '../http/handlers/invoke.js';
import { logAppend } from '../http/handlers/log-append.js';
import { intercept } from '../http/handlers/intercept.js';
import { templates } from '../http/handlers/templates/handler.js';
import { reverseProxy } from '../http/handlers/reverse-proxy/handler.js';
import { copyResponse, copyResponseHeaders } from '../http/handlers/reverse-proxy/copy-response.js';

/** Selection policies are compiled by the reverse_proxy handler (compileSelection); checked here. */
const selectionPolicies: AnyModule[] = Object.entries(selectionPolicySchemas).map(([name, schema]) => ({
  id: `http.reverse_proxy.selection_policies.${name}`,
  kind: 'part',
  doc: `The ${name} upstream selection policy.`,
  schema,
}));

/** `http.matchers.*`. */
export const httpMatchers: AnyModule[] = [
  hostMatcher,
  pathMatcher,
  pathRegexpMatcher,
  methodMatcher,
  headerMatcher,
  headerRegexpMatcher,
  queryMatcher,
  protocolMatcher,
  remoteIpMatcher,
  clientIpMatcher,
  notMatcher,
  varsMatcher,
  varsRegexpMatcher,
  fileMatcher,
  tlsMatcher,
  expressionMatcher,
];

/** `http.handlers.*`. */
export const httpHandlers: AnyModule[] = [
  staticResponse,
  subroute,
  metricsHandler,
  headersHandler,
  rewriteHandler,
  varsHandler,
  tracingHandler,
  acmeServerHandler,
  mapHandler,
  errorHandler,
  requestBody,
  timeouts,
  authentication,
  encode,
  fileServer,
  invokeHandler,
  logAppend,
  intercept,
  templates,
  reverseProxy,
  copyResponse,
  copyResponseHeaders,
];

/** The http app, its matchers and handlers, and the parts its handlers build themselves. */
export const httpModules: AnyModule[] = [
  httpAppModule,
  ...httpMatchers,
  ...httpHandlers,
  httpBasicProvider,
  { id: 'http.encoders.gzip', kind: 'part', doc: 'gzip for the encode handler.', schema: gzipEncoderSchema },
  { id: 'http.encoders.zstd', kind: 'part', doc: 'zstd for the encode handler.', schema: zstdEncoderSchema },
  {
    id: 'http.reverse_proxy.transport.http',
    kind: 'part',
    doc: "The reverse proxy's HTTP transport (HttpTransportImpl).",
    schema: httpTransportSchema,
  },
  {
    id: 'http.reverse_proxy.transport.fastcgi',
    kind: 'part',
    doc: "The reverse proxy's FastCGI transport (FastcgiTransport).",
    schema: fastcgiTransportSchema,
  },
  {
    id: 'http.reverse_proxy.upstreams.a',
    kind: 'part',
    doc: 'Upstreams from DNS A/AAAA records (AUpstreams).',
    schema: aUpstreamsSchema,
  },
  ...selectionPolicies,
];
