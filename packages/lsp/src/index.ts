/** @module @proxy/lsp: the Caddyfile language server behind `proxy lsp`. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from './server.js';

export { ADAPT_COMMAND, startServer, type ServerOptions } from './server.js';
export type { ConfigValidator, ValidationProblem } from './workspace.js';

/** Runs the server over stdin/stdout until the client exits it. */
export function runStdio(options: ServerOptions = {}): void {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  startServer(connection, options);
  connection.listen();
}
