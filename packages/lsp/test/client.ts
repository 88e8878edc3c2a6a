/**
 * A real LSP client for tests: `proxy lsp --stdio` as a child process, spoken to with vscode-jsonrpc's stream
 * reader and writer. Diagnostics notifications are collected per URI; waits are bounded.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/dist/bundle/main.js');

export interface Client {
  conn: MessageConnection;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  /** Resolves with the next diagnostics for `uri` that satisfy `ok` (or those already received). */
  diagnostics(uri: string, ok?: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  open(file: string, text: string): Promise<string>;
  close(): Promise<void>;
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export async function startClient(rootDir: string, args: string[] = ['--stdio']): Promise<Client> {
  const child = spawn(process.execPath, [CLI, 'lsp', ...args], { stdio: 'pipe' });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const latest = new Map<string, Diagnostic[]>();
  const waiters: { uri: string; ok: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    latest.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.ok(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  conn.onNotification('window/logMessage', () => {});
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uriOf(rootDir),
    capabilities: {},
    workspaceFolders: null,
  });
  await conn.sendNotification('initialized', {});
  return {
    conn,
    child,
    stderr: () => err,
    diagnostics(uri, ok = () => true) {
      const have = latest.get(uri);
      if (have && ok(have)) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(latest.get(uri))}`)),
          20_000,
        );
        waiters.push({
          uri,
          ok,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
    async open(file, text) {
      const uri = uriOf(file);
      latest.delete(uri);
      await conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'caddyfile', version: 1, text },
      });
      return uri;
    },
    async close() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } finally {
        const exited = new Promise<void>((resolve) => {
          if (child.exitCode !== null) resolve();
          child.once('exit', () => resolve());
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
        conn.dispose();
      }
    },
  };
}
