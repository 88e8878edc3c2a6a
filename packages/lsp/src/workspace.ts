/**
 * @module workspace: the open files and what each one adapts to. A file is parsed and adapted with imports read
 * from the editor's copy when the imported file is open, and the files each adaptation read are kept, so an edit
 * of an imported file re-checks the files that import it.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '@proxy/contract';
import { adapt, type AdaptResult, type Diagnostic } from '@proxy/parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Checker } from './checker.js';
import { outline as outlineOf, type Outline } from './outline.js';
import { updatedOutline } from './outline-update.js';

/** A problem the runtime finds in an adapted config; `path` is its JSON path. */
export interface ValidationProblem {
  path: string;
  message: string;
}

/** Checks an adapted config the way the runtime would load it. */
export type ConfigValidator = (config: unknown) => Promise<ValidationProblem[]> | ValidationProblem[];

/** One version of one open file, with its outline: cheap, enough for completion and navigation. */
export interface View {
  uri: string;
  path: string;
  version: number;
  text: string;
  outline: Outline;
}

/** One adaptation of one open file. */
export interface Analysis extends View {
  /** The adaptation; `json` is there when it was made on this thread (else encode `config`). */
  result: Omit<AdaptResult, 'json'> & { json?: string };
  /** Runtime validation problems of the adapted config, once checked (on open and save). */
  invalid: ValidationProblem[];
  /** Absolute paths of the files the adaptation read. */
  reads: Set<string>;
}

export function uriToPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function pathToUri(path: string): string {
  return path.startsWith('/') ? pathToFileURL(path).href : path;
}

export class Workspace {
  private readonly checker: Checker;

  /** `workerScript`: the checking worker's entry (see checker.ts); the one next to this package by default. */
  constructor(workerScript?: URL) {
    this.checker = new Checker(workerScript);
  }
  private readonly docs = new Map<string, TextDocument>();
  private readonly cache = new Map<string, Analysis>();
  private readonly views = new Map<string, View>();

  open(doc: TextDocument): void {
    this.docs.set(doc.uri, doc);
  }

  close(uri: string): void {
    this.docs.delete(uri);
    this.cache.delete(uri);
    this.views.delete(uri);
  }

  document(uri: string): TextDocument | undefined {
    return this.docs.get(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  /** The open files (other than `uri`) whose last adaptation read `uri`'s file. */
  dependents(uri: string): string[] {
    const path = uriToPath(uri);
    return [...this.cache.values()].filter((a) => a.uri !== uri && a.reads.has(path)).map((a) => a.uri);
  }

  /** The file's last adaptation, of this version or an earlier one (never adapts). */
  lastAnalysis(uri: string): Analysis | undefined {
    return this.cache.get(uri);
  }

  /** The files the last adaptation of `uri` read, without adapting it again. */
  readsOf(uri: string): ReadonlySet<string> {
    return this.cache.get(uri)?.reads ?? new Set();
  }

  /** Drops the file's own cached adaptation (a file it read changed on disk), so it is redone. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Drops cached adaptations that read `uri`'s file, so they are redone. */
  invalidate(uri: string): void {
    for (const dep of this.dependents(uri)) this.cache.delete(dep);
  }

  /** The file's current text and outline, without adapting it. */
  view(uri: string): View | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const cached = this.views.get(uri);
    if (cached && cached.version === doc.version) return cached;
    const path = uriToPath(uri);
    const text = doc.getText();
    // After an edit inside one block, the last outline is updated (and used up) rather than made anew.
    const outline = (cached && updatedOutline(cached.outline, cached.text, text, path)) ?? outlineOf(text, path);
    const v: View = { uri, path, version: doc.version, text, outline };
    this.views.set(uri, v);
    return v;
  }

  /** A file's text: the editor's copy when open, else the file on disk. */
  read(path: string): string {
    const open = this.docs.get(pathToUri(path));
    return open ? open.getText() : readFileSync(path, 'utf8');
  }

  /**
   * The file's adaptation, computed by the worker (see checker.ts) when it is not current; undefined when the
   * file changed or closed meanwhile (a newer check follows). Without a worker, computed here.
   */
  async analyseInWorker(uri: string): Promise<Analysis | undefined> {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const cached = this.cache.get(uri);
    if (cached && cached.version === doc.version) return cached;
    const { path, text, version } = { path: uriToPath(uri), text: doc.getText(), version: doc.version };
    const open: Record<string, string> = {};
    for (const [u, d] of this.docs) if (u !== uri) open[uriToPath(u)] = d.getText();
    const res = await this.checker.check({ text, path, dir: dirname(path), open });
    if (this.docs.get(uri)?.version !== version) return undefined;
    if (!res?.result) return this.analyse(uri);
    const current = this.cache.get(uri);
    if (current && current.version === version) return current;
    const { outline } = this.view(uri)!;
    const a: Analysis = {
      uri,
      path,
      version,
      text,
      outline,
      result: withConfig(res.result),
      invalid: [],
      reads: new Set(res.reads),
    };
    this.cache.set(uri, a);
    return a;
  }

  /**
   * Validates the file's current adaptation in the worker (adapting it again there): the problems, or undefined
   * when the worker cannot (no worker, or none with a validator) or the file changed meanwhile.
   */
  async validateInWorker(uri: string): Promise<ValidationProblem[] | undefined> {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const { path, text, version } = { path: uriToPath(uri), text: doc.getText(), version: doc.version };
    const open: Record<string, string> = {};
    for (const [u, d] of this.docs) if (u !== uri) open[uriToPath(u)] = d.getText();
    const res = await this.checker.check({ text, path, dir: dirname(path), open, validate: true });
    if (this.docs.get(uri)?.version !== version) return undefined;
    return res?.invalid;
  }

  /** Ends the worker (the server is shutting down). */
  stop(): void {
    this.checker.stop();
  }

  /** The file's adaptation, redone when its text changed. */
  analyse(uri: string): Analysis | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const cached = this.cache.get(uri);
    if (cached && cached.version === doc.version) return cached;
    const { path, text, outline } = this.view(uri)!;
    const reads = new Set<string>();
    const readFile = (p: string): string => {
      reads.add(p);
      return this.read(p);
    };
    const result = adapt(text, { filename: path, dir: dirname(path), readFile });
    const a: Analysis = { uri, path, version: doc.version, text, outline, result, invalid: [], reads };
    this.cache.set(uri, a);
    return a;
  }
}

/** A worker's adaptation with `config` decoded from its JSON when first read (hover and validation want it). */
function withConfig(r: Omit<AdaptResult, 'config'>): Analysis['result'] {
  let config: Config | undefined;
  return Object.defineProperty({ ...r }, 'config', {
    enumerable: true,
    get: () => (config ??= r.json === undefined ? undefined : (JSON.parse(r.json) as Config)),
  });
}

/** Every parser/adapter diagnostic of an analysis. */
export function allDiagnostics(a: Analysis): Diagnostic[] {
  return [...a.result.errors, ...a.result.warnings];
}
