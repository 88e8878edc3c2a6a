/**
 * @module commands/lsp-worker: the language server's checking worker with the runtime's validation, so that
 * provisioning a config to validate it happens off the editor's thread (and its memory goes when the worker
 * ends). A bundle entry of its own; `proxy lsp` points the server at it.
 */
import { serveChecks } from '@proxy/lsp/check-service';
import { validateConfig } from '@proxy/runtime';

serveChecks((config) => validateConfig(config));
