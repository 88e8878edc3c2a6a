/**
 * @module imports: expanding `import` (Caddy's `doImport`): snippets and file globs, argument and block
 * substitution, the import chain on every token, cycle detection, and a bound on how much imports may expand.
 */
import type { Env } from './env.js';
import type { FileSystem } from './file-system.js';
import { dirname } from './paths.js';
import { checkGlob, globFiles, hasGlob } from './glob.js';
import { blockMappingOf, substituteToken, type ImportArgs } from './import-args.js';
import { ImportGraph } from './import-graph.js';
import { tokenizeFile } from './lexer.js';
import type { Diagnostic } from '../diagnostics.js';
import { isNextOnNewLine, type Token } from './token.js';

/** Upper bound on tokens produced by import expansion, so a file cannot make the parser blow up. */
const MAX_EXPANDED_TOKENS = 2_000_000;
const MAX_IMPORT_DEPTH = 100;

/** A problem that stops the current construct; the parser reports it and goes on. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly token: Token | undefined,
  ) {
    super(message);
  }
}

/** Where imports read from and report to. */
export interface ImporterOptions {
  /** The main file's name as given. */
  file: string;
  /** The folder the main file's relative imports resolve against. */
  mainDir: string;
  env: Env;
  /** Where imported files and globs are read. */
  fs: FileSystem;
  /** Reads an imported file, instead of `fs.readFile`. */
  readFile?: (path: string) => string;
  /** Receives lexing errors of imported files and warnings. */
  report: (d: Diagnostic) => void;
}

/** Expands imports; holds the snippets defined so far and the import graph. */
export class Importer {
  private readonly snippets = new Map<string, Token[]>();
  private readonly graph = new ImportGraph();
  private readonly readFile: (path: string) => string;
  private expanded = 0;

  constructor(private readonly opts: ImporterOptions) {
    this.readFile = opts.readFile ?? ((p) => opts.fs.readFile(p));
  }

  /** Records a snippet `(name) { ... }` (its tokens without the braces). */
  defineSnippet(key: Token, tokens: Token[]): void {
    const name = key.text.slice(1, -1);
    if (this.snippets.has(name)) throw new ParseError(`redeclaration of previously declared snippet ${name}`, key);
    this.snippets.set(
      name,
      tokens.map((t) => ({ ...t, snippetName: name })),
    );
  }

  private warn(message: string, token: Token | undefined): void {
    const r = token?.range;
    this.opts.report({
      severity: 'warning',
      code: 'import-error',
      message,
      file: r?.file ?? this.opts.file,
      line: r?.line ?? 1,
      column: r?.column ?? 1,
      endLine: r?.endLine ?? 1,
      endColumn: r?.endColumn ?? 1,
    });
  }

  /** The tokens `import PATTERN ARGS... [{ block }]` brings in; `blockTokens` are the block's, braces excluded. */
  expand(importTok: Token, argToks: Token[], blockTokens: Token[]): Token[] {
    const patternTok = argToks[0];
    if (!patternTok) throw new ParseError("wrong argument count or unexpected line ending after 'import'", importTok);
    const pattern = patternTok.text;
    if (pattern === '') throw new ParseError('Import requires a non-empty filepath', patternTok);
    if (importTok.imports.length >= MAX_IMPORT_DEPTH)
      throw new ParseError(`imports nested more than ${MAX_IMPORT_DEPTH} deep`, importTok);
    const a: ImportArgs = {
      args: argToks.slice(1).map((t) => t.text),
      blockTokens,
      blockMapping: blockMappingOf(blockTokens),
    };
    let imported: Token[];
    let nodes: string[];
    let chainEntry: string;
    const snippet = this.snippets.get(pattern);
    if (snippet) {
      imported = snippet;
      nodes = snippet.length > 0 ? [`${snippet[0]!.file}:${snippet[0]!.snippetName}`] : [];
      chainEntry = `${importTok.file}:${importTok.line} (import ${pattern})`;
    } else {
      ({ imported, nodes } = this.importFiles(pattern, patternTok));
      chainEntry = `${importTok.file}:${importTok.line} (import)`;
    }
    const from = importTok.snippetName ? `${importTok.file}:${importTok.snippetName}` : importTok.file;
    const cycle = this.graph.addEdges(from, nodes);
    if (cycle) throw new ParseError(cycle, importTok);
    const chain = [...importTok.imports, chainEntry];
    // Tokens spliced in from the import's own block keep their import chain, as in Caddy (so a `}` after
    // `{block}` is on a new line relative to them).
    const fromBlock = new Set<Token>(blockTokens);
    const out = this.substitute(imported, a).map((t) => (fromBlock.has(t) ? t : { ...t, imports: chain }));
    this.expanded += out.length;
    if (this.expanded > MAX_EXPANDED_TOKENS) throw new ParseError('imports expand to too many tokens', importTok);
    return out;
  }

  /** Applies import arguments, except to snippet definitions, which are substituted when imported. */
  private substitute(tokens: readonly Token[], a: ImportArgs): Token[] {
    const out: Token[] = [];
    const warn = (message: string, t: Token) => this.warn(message, t);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const next = tokens[i + 1];
      const firstOnLine = i === 0 || isNextOnNewLine(tokens[i - 1]!, t);
      if (firstOnLine && t.text.startsWith('(') && t.text.endsWith(')') && next?.text === '{' && next.quote === '') {
        let depth = 0;
        let j = i;
        for (; j < tokens.length; j++) {
          const x = tokens[j]!;
          if (x.quote === '' && x.text === '{') depth++;
          else if (x.quote === '' && x.text === '}' && --depth === 0) break;
        }
        out.push(...tokens.slice(i, j + 1));
        i = j;
        continue;
      }
      out.push(...substituteToken(t, a, warn));
    }
    return out;
  }

  private importFiles(pattern: string, at: Token): { imported: Token[]; nodes: string[] } {
    const globErr = checkGlob(pattern);
    if (globErr) throw new ParseError(globErr, at);
    const dir = at.file === this.opts.file ? this.opts.mainDir : dirname(at.file);
    const files = globFiles(pattern, dir, this.opts.fs);
    if (files.length === 0) {
      if (hasGlob(pattern)) {
        this.warn(`No files matching import glob pattern: ${pattern}`, at);
        return { imported: [], nodes: [] };
      }
      throw new ParseError(`File to import not found: ${pattern}`, at);
    }
    const imported: Token[] = [];
    for (const path of files) {
      let text: string;
      try {
        text = this.readFile(path);
      } catch (e) {
        throw new ParseError(`Could not read tokens while importing ${pattern}: ${(e as Error).message}`, at);
      }
      if (text.trim() === '') {
        this.warn(`Import file is empty: ${path}`, at);
        continue;
      }
      const lexed = tokenizeFile(text, path, this.opts.env);
      lexed.diagnostics.forEach((d) => this.opts.report(d));
      imported.push(...lexed.tokens);
    }
    return { imported, nodes: files };
  }
}
