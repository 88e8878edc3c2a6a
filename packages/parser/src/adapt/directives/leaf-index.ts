/**
 * @module leaf-index: the leaf handler directives (modules' Caddyfile syntax), registered in one visible
 * order. The pipeline's `directives/index.ts` calls `registerLeafDirectives()` once.
 */
import * as acmeServer from './acme-server.js';
import * as basicAuth from './basic-auth.js';
import * as copyResponse from './copy-response.js';
import * as copyResponseHeaders from './copy-response-headers.js';
import * as encode from './encode.js';
import * as fileServer from './file-server.js';
import * as forwardAuth from './forward-auth.js';
import * as header from './header.js';
import * as intercept from './intercept.js';
import * as log from './log.js';
import * as logAppend from './log-append.js';
import * as logName from './log-name.js';
import * as logSkip from './log-skip.js';
import * as map from './map.js';
import * as method from './method.js';
import * as metrics from './metrics.js';
import * as phpFastcgi from './php-fastcgi.js';
import * as push from './push.js';
import * as requestBody from './request-body.js';
import * as requestHeader from './request-header.js';
import * as reverseProxy from './reverse-proxy.js';
import * as rewrite from './rewrite.js';
import * as templates from './templates.js';
import * as tracing from './tracing.js';
import * as tryFiles from './try-files.js';
import * as uri from './uri.js';
import * as vars from './vars.js';

const modules = [
  tracing, map, vars, logAppend, logSkip, logName, header, copyResponseHeaders, requestBody, method, rewrite, uri,
  tryFiles, basicAuth, forwardAuth, requestHeader, encode, push, intercept, templates, copyResponse, metrics,
  reverseProxy, phpFastcgi, fileServer, acmeServer, log,
];

let done = false;

/** Registers every leaf directive (and the `log` global option); safe to call more than once. */
export function registerLeafDirectives(): void {
  if (done) return;
  done = true;
  for (const m of modules) m.register();
}

export { isSubrouteValue, type SubrouteValue } from './common.js';
export type { NamedCustomLog } from './log.js';
