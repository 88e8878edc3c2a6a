/**
 * @module directives/list: every Caddyfile directive, in one visible list (Caddy's `RegisterDirective` /
 * `RegisterHandlerDirective` calls): the builtins and routing directives first, then the handler directives.
 * Adding a directive is one file exporting its definition plus one entry here (and a place in `order.ts`
 * when it produces ordered routes).
 */
import type { ModuleOfKind } from '../module.js';
import { AcmeServerDirective } from './acme-server.js';
import { BasicAuthDirective, BasicauthDirective } from './basic-auth.js';
import { BindDirective } from './bind.js';
import { CopyResponseHeadersDirective } from './copy-response-headers.js';
import { CopyResponseDirective } from './copy-response.js';
import { EncodeDirective } from './encode.js';
import { ErrorDirective } from './error.js';
import { FileServerDirective } from './file-server.js';
import { ForwardAuthDirective } from './forward-auth.js';
import { HeaderDirective } from './header.js';
import { InterceptDirective } from './intercept.js';
import { LogAppendDirective } from './log-append.js';
import { LogNameDirective } from './log-name.js';
import { LogSkipDirective, SkipLogDirective } from './log-skip.js';
import { LogDirective } from './log.js';
import { MapDirective } from './map.js';
import { MethodDirective } from './method.js';
import { MetricsDirective } from './metrics.js';
import { PhpFastcgiDirective } from './php-fastcgi.js';
import { PushDirective } from './push.js';
import { RedirDirective } from './redir.js';
import { RequestBodyDirective } from './request-body.js';
import { RequestHeaderDirective } from './request-header.js';
import { AbortDirective, RespondDirective } from './respond.js';
import { ReverseProxyDirective } from './reverse-proxy.js';
import { RewriteDirective } from './rewrite.js';
import {
  HandleDirective,
  HandleErrorsDirective,
  HandlePathDirective,
  InvokeDirective,
  RouteDirective,
} from './routing.js';
import { TemplatesDirective } from './templates.js';
import { TimeoutsDirective } from './timeouts.js';
import { TlsDirective } from './tls.js';
import { TracingDirective } from './tracing.js';
import { TryFilesDirective } from './try-files.js';
import { UriDirective } from './uri.js';
import { FsDirective, RootDirective } from './vars-like.js';
import { VarsDirective } from './vars.js';

export function listDirectives(): readonly ModuleOfKind<'directive' | 'handler-directive'>[] {
  return [
    // builtins (httpcaddyfile/builtins.go) and routing
    BindDirective,
    TlsDirective,
    RootDirective,
    HandleErrorsDirective,
    HandlePathDirective,
    FsDirective,
    RedirDirective,
    RespondDirective,
    AbortDirective,
    ErrorDirective,
    RouteDirective,
    HandleDirective,
    InvokeDirective,
    // handler directives (modules' Caddyfile syntax)
    TracingDirective,
    MapDirective,
    VarsDirective,
    LogAppendDirective,
    LogSkipDirective,
    SkipLogDirective,
    LogNameDirective,
    HeaderDirective,
    CopyResponseHeadersDirective,
    RequestBodyDirective,
    TimeoutsDirective,
    MethodDirective,
    RewriteDirective,
    UriDirective,
    TryFilesDirective,
    BasicAuthDirective,
    BasicauthDirective,
    ForwardAuthDirective,
    RequestHeaderDirective,
    EncodeDirective,
    PushDirective,
    InterceptDirective,
    TemplatesDirective,
    CopyResponseDirective,
    MetricsDirective,
    ReverseProxyDirective,
    PhpFastcgiDirective,
    FileServerDirective,
    AcmeServerDirective,
    LogDirective,
  ];
}
