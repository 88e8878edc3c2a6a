/**
 * @module directives: registers every Caddyfile directive, in one visible list (Caddy's `RegisterDirective` /
 * `RegisterHandlerDirective` calls). Adapt-core's directives first; the leaf handler directives follow.
 */
import { registerDirective, registerHandlerDirective } from '../registry.js';
import { parseAbort, parseRespond } from './respond.js';
import { parseError } from './error.js';
import { parseRedir } from './redir.js';
import { parseFs, parseRoot } from './vars-like.js';
import { parseBind } from './bind.js';
import { parseHandle, parseHandleErrors, parseHandlePath, parseInvoke, parseRoute } from './routing.js';
import { parseTLSDirective } from './tls.js';
import { registerLeafDirectives } from './leaf-index.js';

// --- adapt-core: builtins (httpcaddyfile/builtins.go) and routing ---
registerDirective('bind', parseBind);
registerDirective('tls', parseTLSDirective);
registerDirective('root', parseRoot);
registerDirective('handle_errors', parseHandleErrors);
registerDirective('handle_path', parseHandlePath);
registerHandlerDirective('fs', parseFs);
registerHandlerDirective('redir', parseRedir);
registerHandlerDirective('respond', parseRespond);
registerHandlerDirective('abort', parseAbort);
registerHandlerDirective('error', parseError);
registerHandlerDirective('route', parseRoute);
registerHandlerDirective('handle', parseHandle);
registerHandlerDirective('invoke', parseInvoke);

// --- adapt-dirs: leaf handler directives (reverse_proxy, file_server, header, log, ...) go below ---
registerLeafDirectives();
// --- end adapt-dirs ---
