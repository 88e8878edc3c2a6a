/**
 * @module server: the language server: wires the LSP requests to the features over one connection. Every handler
 * runs guarded: a failure is logged and answers "nothing", never ending the server.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { format, stringifyConfig } from '@proxy/parser';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  MarkupKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type Location,
  type Position,
  type PublishDiagnosticsParams,
  type TextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './actions.js';
import { complete } from './completion.js';
import { diagnosticsOf, fragmentDiagnostics } from './diagnostics.js';
import { blockDiagnostics, spansOf, type Published } from './incremental.js';
import { hover } from './hover.js';
import { LEGEND, semanticTokens } from './semantic.js';
import { outline } from './outline.js';
import { definitions, documentSymbols, occurrenceAt, sameName } from './symbols.js';
import { pathToUri, uriToPath, Workspace, type Analysis, type ConfigValidator, type View } from './workspace.js';

/** The command that answers the adapted JSON of a file: arguments `[uri]`, result `{ json?, errors }`. */
export const ADAPT_COMMAND = 'proxy.adapt';

/** How long after the last change the whole file is checked again. */
const DEBOUNCE_MS = 75;
/** The same, when the edited block was already checked alone: the whole-file check waits for a pause in typing. */
const PAUSE_MS = 400;

export interface ServerOptions {
  /** Checks adapted configs as the runtime would load them (the CLI passes the runtime's validation). */
  validate?: ConfigValidator;
  /**
   * The checking worker's entry script; by default the package's own, which adapts but cannot validate. The
   * CLI passes one that calls `serveChecks` with the runtime's validation, so that runs in the worker too.
   */
  workerScript?: URL;
}

/** Serves the Caddyfile language on a connection (call `connection.listen()` after). */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const ws = new Workspace(options.workerScript);
  const published = new Map<string, Published>();

  function guard<A extends unknown[], R>(name: string, fallback: R, f: (...args: A) => R): (...args: A) => R {
    return (...args) => {
      try {
        return f(...args);
      } catch (e) {
        connection.console.error(
          `proxy lsp: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
        return fallback;
      }
    };
  }

  const analysis = (uri: string): Analysis | undefined => ws.analyse(uri);

  /** Sends diagnostics; a connection that is closing only loses them (a rejected send must not end the server). */
  function send(params: PublishDiagnosticsParams): void {
    connection.sendDiagnostics(params).catch((e: unknown) => {
      process.stderr.write(`proxy lsp: cannot send diagnostics: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  }

  /** Publishes a file's diagnostics: its own adaptation's, or, when open files import it, theirs in it. */
  function publish(uri: string): void {
    const importers = ws
      .dependents(uri)
      .map(analysis)
      .filter((a): a is Analysis => a !== undefined);
    if (importers.length > 0) {
      published.delete(uri);
      const v = ws.view(uri);
      if (v) send({ uri, version: v.version, diagnostics: fragmentDiagnostics(v.path, importers) });
      return;
    }
    const a = analysis(uri);
    if (!a) return;
    const diagnostics = diagnosticsOf(a, dirname(a.path));
    published.set(uri, { text: a.text, spans: spansOf(a.outline, a.text), diagnostics, parsed: a.result.parsed });
    send({ uri, version: a.version, diagnostics });
  }

  /**
   * After an edit inside one site block of a file no open file imports: adapts that block alone and publishes
   * its diagnostics with the rest of the file's last ones (see incremental.ts). False when the edit is not such
   * an edit (the whole file is checked instead).
   */
  const quick = guard('diagnostics', false, (uri: string): boolean => {
    const doc = documents.get(uri);
    const last = published.get(uri);
    if (!doc || !last || ws.dependents(uri).length > 0) return false;
    const path = uriToPath(uri);
    const next = blockDiagnostics(last, doc.getText(), path, (p) => ws.read(p));
    if (!next) return false;
    published.set(uri, next);
    send({ uri, version: doc.version, diagnostics: next.diagnostics });
    return true;
  });

  /** Re-publishes the open files among `reads` (other than `except`): who imports them may have changed. */
  function publishImported(reads: ReadonlySet<string>, except: readonly string[]): void {
    for (const other of ws.uris()) if (!except.includes(other) && reads.has(uriToPath(other))) publish(other);
  }

  /**
   * Re-checks a file, the open files that import it, and the open files it imports. The adapting happens in the
   * worker (checker.ts); publishing then reads what it cached. A file changed meanwhile is left to the check its
   * change scheduled.
   */
  const refresh = async (uri: string): Promise<void> => {
    try {
      const dependents = ws.dependents(uri);
      ws.invalidate(uri);
      const version = documents.get(uri)?.version;
      // The importers first: adapting them again is what says which of them still import this file.
      for (const dep of dependents) await ws.analyseInWorker(dep);
      if (ws.dependents(uri).length === 0) await ws.analyseInWorker(uri);
      if (documents.get(uri)?.version !== version) return;
      for (const dep of dependents) publish(dep);
      publish(uri);
      publishImported(ws.readsOf(uri), [uri, ...dependents]);
    } catch (e) {
      connection.console.error(
        `proxy lsp: diagnostics failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  };

  /**
   * Runs the runtime's validation of the adapted config, then re-publishes. It provisions every module (as
   * `proxy validate` does), which is too heavy for each keystroke: it runs on open and save only.
   */
  const validate = async (uri: string): Promise<void> => {
    try {
      const a = await ws.analyseInWorker(uri);
      if (!a?.result.config || !options.validate) return;
      // Typing goes on meanwhile: what is validated is this version, and only published while it is current
      // (asking `analysis()` would adapt a newer one here, on the editor's thread).
      const current = () => documents.get(uri)?.version === a.version;
      try {
        // In the worker when it can (the CLI's has the runtime's validator), else here.
        const inWorker = options.workerScript ? await ws.validateInWorker(uri) : undefined;
        if (!current()) return;
        a.invalid = inWorker ?? (await options.validate(a.result.config));
      } catch (e) {
        a.invalid = [{ path: '', message: `validation failed: ${e instanceof Error ? e.message : String(e)}` }];
      }
      if (current()) publish(uri);
    } catch (e) {
      connection.console.error(
        `proxy lsp: validation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  };

  /** Whether the client can be asked to watch files (it then sends `workspace/didChangeWatchedFiles`). */
  let canWatch = false;
  connection.onInitialize((p): InitializeResult => {
    canWatch = !!p.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: ['{', '@', ' '] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        semanticTokensProvider: { legend: LEGEND, full: true },
        executeCommandProvider: { commands: [ADAPT_COMMAND] },
      },
      serverInfo: { name: 'proxy lsp' },
    };
  });

  /** The version each file was checked at when opened: the change event that follows an open is no change. */
  const openedAt = new Map<string, number>();
  documents.onDidOpen((e) => {
    ws.open(e.document);
    openedAt.set(e.document.uri, e.document.version);
    void refresh(e.document.uri).then(() => validate(e.document.uri));
  });
  documents.onDidSave((e) => void validate(e.document.uri));
  // Adapting a big file takes a while: a burst of keystrokes is checked once, shortly after it ends.
  const pending = new Map<string, NodeJS.Timeout>();
  documents.onDidChangeContent((e) => {
    ws.open(e.document);
    const uri = e.document.uri;
    if (openedAt.get(uri) === e.document.version) return;
    openedAt.delete(uri);
    clearTimeout(pending.get(uri));
    const checked = quick(uri);
    pending.set(
      uri,
      setTimeout(
        () => {
          pending.delete(uri);
          void refresh(uri);
        },
        checked ? PAUSE_MS : DEBOUNCE_MS,
      ),
    );
  });
  documents.onDidClose(
    guard('close', undefined, (e: { document: TextDocument }) => {
      const uri = e.document.uri;
      clearTimeout(pending.get(uri));
      pending.delete(uri);
      const reads = ws.readsOf(uri);
      openedAt.delete(uri);
      published.delete(uri);
      ws.close(uri);
      send({ uri, diagnostics: [] });
      publishImported(reads, []);
    }),
  );

  /** The file's outline (no adapting) and the offset of a position in it. */
  const at = (uri: string, p: Position): { a: View; doc: TextDocument; offset: number } | undefined => {
    const doc = documents.get(uri);
    const a = ws.view(uri);
    return doc && a ? { a, doc, offset: doc.offsetAt(p) } : undefined;
  };

  connection.onCompletion(
    guard('completion', [], (p) => {
      const c = at(p.textDocument.uri, p.position);
      return c ? complete(c.a.outline, c.a.text, c.offset) : [];
    }),
  );

  connection.onHover(
    guard('hover', null, (p) => {
      const c = at(p.textDocument.uri, p.position);
      // The listen addresses of a site: the last whole-file check's are good enough, and cost nothing here.
      const value = c && hover(c.a.outline, c.offset, () => ws.lastAnalysis(p.textDocument.uri)?.result.config);
      return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
    }),
  );

  /** Where the name under the cursor is written: `which` picks definitions, uses, or both. */
  const locations = (uri: string, p: Position, which: 'definitions' | 'uses' | 'all'): Location[] => {
    const c = at(uri, p);
    const occ = c && occurrenceAt(c.a.outline, c.offset);
    if (!c || !occ) return [];
    const keep = (x: { definition: boolean }) => which === 'all' || x.definition === (which === 'definitions');
    return sameName(c.a.outline, occ)
      .filter(keep)
      .map((x) => ({
        uri,
        range: { start: c.doc.positionAt(x.start), end: c.doc.positionAt(x.end) },
      }));
  };

  /** A snippet defined in a file this one imports: the first such definition among the files its adaptation read. */
  const importedSnippet = (uri: string, p: Position): Location[] => {
    const c = at(uri, p);
    const occ = c && occurrenceAt(c.a.outline, c.offset);
    if (occ?.kind !== 'snippet') return [];
    for (const path of ws.lastAnalysis(uri)?.reads ?? []) {
      const text = ws.read(path);
      const def = definitions(outline(text, path)).find((d) => d.kind === 'snippet' && d.name === occ.name);
      if (!def) continue;
      const doc = TextDocument.create(pathToUri(path), 'caddyfile', 0, text);
      return [{ uri: doc.uri, range: { start: doc.positionAt(def.start), end: doc.positionAt(def.end) } }];
    }
    return [];
  };

  connection.onDefinition(
    guard('definition', [], (p) => {
      const local = locations(p.textDocument.uri, p.position, 'definitions');
      return local.length > 0 ? local : importedSnippet(p.textDocument.uri, p.position);
    }),
  );
  connection.onReferences(
    guard('references', [], (p) =>
      locations(p.textDocument.uri, p.position, p.context.includeDeclaration ? 'all' : 'uses'),
    ),
  );

  connection.onPrepareRename(
    guard('prepareRename', null, (p) => {
      const c = at(p.textDocument.uri, p.position);
      const occ = c && occurrenceAt(c.a.outline, c.offset);
      return c && occ
        ? { range: { start: c.doc.positionAt(occ.start), end: c.doc.positionAt(occ.end) }, placeholder: occ.name }
        : null;
    }),
  );
  connection.onRenameRequest(
    guard('rename', null, (p) => {
      const edits: TextEdit[] = locations(p.textDocument.uri, p.position, 'all').map((l) => ({
        range: l.range,
        newText: p.newName,
      }));
      return edits.length > 0 ? { changes: { [p.textDocument.uri]: edits } } : null;
    }),
  );

  connection.onDocumentFormatting(
    guard('formatting', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return [];
      const text = doc.getText();
      const formatted = format(text);
      if (formatted === text) return [];
      return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: formatted }];
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], (p) => {
      const c = at(p.textDocument.uri, p.range.start);
      return c ? codeActions(c.a.outline, p.textDocument.uri, p.context.diagnostics, (pos) => c.doc.offsetAt(pos)) : [];
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      const a = ws.view(p.textDocument.uri);
      return doc && a ? documentSymbols(a.outline, a.text, (o) => doc.positionAt(o)) : [];
    }),
  );

  connection.onDocumentLinks(
    guard('documentLinks', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      const a = ws.view(p.textDocument.uri);
      if (!doc || !a) return [];
      const dir = dirname(a.path);
      return a.outline.entries
        .filter((e) => e.tokens[0]?.text === 'import' && e.tokens[1])
        .flatMap((e) => {
          const arg = e.tokens[1]!;
          const target = resolve(dir, arg.text);
          if (!existsSync(target)) return [];
          return [
            {
              range: { start: doc.positionAt(arg.range.offset), end: doc.positionAt(arg.range.endOffset) },
              target: pathToUri(target),
            },
          ];
        });
    }),
  );

  connection.languages.semanticTokens.on(
    guard('semanticTokens', { data: [] }, (p) => {
      const a = ws.view(p.textDocument.uri);
      return { data: a ? semanticTokens(a.outline) : [] };
    }),
  );

  connection.onExecuteCommand(
    guard('executeCommand', null, async (p) => {
      if (p.command !== ADAPT_COMMAND) return null;
      const uri = p.arguments?.[0];
      const a = typeof uri === 'string' ? ((await ws.analyseInWorker(uri)) ?? analysis(uri)) : undefined;
      if (!a) return { errors: ['the file is not open'] };
      return {
        json: a.result.json ?? (a.result.config ? stringifyConfig(a.result.config) : undefined),
        errors: a.result.errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`),
      };
    }),
  );

  // Imported files change on disk too (a save from another editor, a checkout): the client watches them and
  // says so, and the open files that read one are checked again.
  connection.onInitialized(() => {
    if (!canWatch) return;
    connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] })
      .catch((e: unknown) => connection.console.error(`proxy lsp: cannot watch files: ${String(e)}`));
  });
  connection.onDidChangeWatchedFiles(
    guard('watched files', undefined, (p: DidChangeWatchedFilesParams) => {
      const changed = new Set(p.changes.map((c) => uriToPath(c.uri)));
      for (const uri of ws.uris()) {
        if (changed.has(uriToPath(uri))) continue; // open: the editor's copy is what counts
        if (![...ws.readsOf(uri)].some((r) => changed.has(r))) continue;
        ws.forget(uri);
        void refresh(uri);
      }
    }),
  );
  connection.onShutdown(() => ws.stop());
  documents.listen(connection);
}
