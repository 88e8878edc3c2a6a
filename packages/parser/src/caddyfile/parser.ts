/**
 * @module parser: `parse(text, options)`. One direction: the file's text is lexed once (env placeholders
 * substituted, positions kept in the original), the grammar parses the tokens once into a syntax tree in
 * source order, and one walk of that tree builds the AST, defining snippets and expanding imports where it
 * meets them (an imported stream goes through the same lexer -> grammar -> walk, once). Every problem becomes a
 * diagnostic with a range, and it never throws.
 */
import type { IRecognitionException } from 'chevrotain';
import type { Diagnostic, SourceRange } from '../diagnostics.js';
import { spanRange, type CaddyfileAST, type Segment, type ServerBlock, type SnippetDefinition } from './ast.js';
import type { Env } from './env.js';
import { nodeFileSystem, type FileSystem } from './file-system.js';
import { dirname, resolve } from './paths.js';
import { Importer, ParseError } from './imports.js';
import { tokenizeFile } from './lexer.js';
import { parseFile, parseStmts, streamIndex, tokenOf } from './grammar.js';
import {
  bracesTokens,
  edgesOfTop,
  firstOfBraces,
  isBraces,
  stmtTokens,
  type Braces,
  type Stmt,
  type TopItem,
} from './syntax.js';
import { isNextOnNewLine, type Token } from './token.js';

/** Options of `parse`. */
export interface ParseOptions {
  /** The name recorded in tokens and diagnostics; "Caddyfile" by default. */
  filename?: string;
  /** The folder relative imports resolve against; the folder of `filename` by default. */
  dir?: string;
  /** Values for `{$VAR}`; `process.env` by default. */
  env?: Env;
  /** Where imports, import globs and files named in the config (`client_auth` certificates) are read; Node's by default. */
  fs?: FileSystem;
  /** Reads an imported file, instead of `fs.readFile`. */
  readFile?: (path: string) => string;
}

/** What `parse` gives: the AST (possibly partial) and every diagnostic found. */
export interface ParseResult {
  ast: CaddyfileAST;
  diagnostics: Diagnostic[];
}

/** Deeper brace nesting than this is reported instead of parsed (it would only exhaust the stack). */
const MAX_BRACE_DEPTH = 256;

/** Parses a Caddyfile. */
export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const file = options.filename ?? 'Caddyfile';
  const builder = new Builder(file, options);
  return builder.run(text);
}

class Builder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly snippets: SnippetDefinition[] = [];
  private readonly env: Env;
  private readonly importer: Importer;

  constructor(
    private readonly file: string,
    options: ParseOptions,
  ) {
    this.env = options.env ?? (globalThis.process as NodeJS.Process | undefined)?.env ?? {};
    const fs = options.fs ?? nodeFileSystem();
    this.importer = new Importer({
      file,
      env: this.env,
      fs,
      mainDir: resolve(fs.cwd(), '.', options.dir ?? dirname(file)),
      ...(options.readFile ? { readFile: options.readFile } : {}),
      report: (d) => this.diagnostics.push(d),
    });
  }

  run(text: string): ParseResult {
    const lexed = tokenizeFile(text, this.file, this.env);
    this.diagnostics.push(...lexed.diagnostics);
    const blocks = this.fileBlocks(lexed.tokens);
    // Report in source order (main file first), whichever stage found them.
    const rank = (d: Diagnostic) => (d.file === this.file ? 0 : 1);
    this.diagnostics.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column);
    // The grammar and the AST builder may both see one mistake.
    const seen = new Set<string>();
    const diagnostics = this.diagnostics.filter((d) => {
      const key = `${d.file}:${d.line}:${d.column}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { ast: { file: this.file, blocks, snippets: this.snippets, comments: lexed.comments }, diagnostics };
  }

  private error(message: string, token: Token | undefined, code: Diagnostic['code'] = 'parsing-error'): void {
    const r = token?.range;
    this.diagnostics.push({
      severity: 'error',
      code,
      message,
      file: r?.file ?? this.file,
      line: r?.line ?? 1,
      column: r?.column ?? 1,
      endLine: r?.endLine ?? 1,
      endColumn: r?.endColumn ?? 1,
    });
  }

  /** Whether the brace nesting is shallow enough to parse (reported when not). */
  private checkDepth(tokens: readonly Token[]): boolean {
    let depth = 0;
    for (const t of tokens) {
      if (t.quote !== '') continue;
      if (t.text === '{' && ++depth > MAX_BRACE_DEPTH) {
        this.error(`blocks are nested more than ${MAX_BRACE_DEPTH} levels deep`, t);
        return false;
      }
      if (t.text === '}') depth--;
    }
    return true;
  }

  /** The message for a block that opens where a directive should start. */
  private braceMessage(block: Braces): string {
    return block.onNewLine !== false || !firstOfBraces(block)
      ? "Unexpected '{' on a new line; did you mean to place the '{' on the previous line?"
      : "Unexpected next token after '{' on same line";
  }

  private grammarErrors(errors: IRecognitionException[], tokens: readonly Token[]): void {
    for (const e of errors) {
      const found = tokenOf(e.token);
      const last = tokens[tokens.length - 1];
      const rule = e.context.ruleStack[e.context.ruleStack.length - 1];
      let message: string;
      if (!found) {
        message =
          e.token.tokenType.name === 'NL'
            ? 'Unexpected next token: a line may not start here'
            : `unexpected EOF; expected '}' to close a block`;
        this.error(message, found ?? last);
        continue;
      }
      const prev = tokens[streamIndex(e.token) - 1];
      const onNewLine = !prev || isNextOnNewLine(prev, found);
      if (found.text === '}' && found.quote === '') message = "Unexpected '}' because no matching opening brace";
      else if (found.text === '{' && found.quote === '') {
        message = onNewLine
          ? "Unexpected '{' on a new line; did you mean to place the '{' on the previous line?"
          : "Unexpected next token after '{' on same line";
      } else if (rule === 'nestedBlock') message = "Unexpected next token after '{' on same line";
      else message = `syntax error: unexpected token '${found.text}'`;
      this.error(message, found);
    }
  }

  /** Parses and builds the blocks of a whole file, or of tokens imported at the top level. */
  private fileBlocks(tokens: Token[]): ServerBlock[] {
    if (tokens.length === 0 || !this.checkDepth(tokens)) return [];
    const { nodes, errors } = parseFile(tokens);
    this.grammarErrors(errors, tokens);
    const blocks: ServerBlock[] = [];
    for (const item of nodes) {
      try {
        blocks.push(...this.block(item));
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.error(e.message, e.token);
      }
    }
    return blocks;
  }

  private block(item: TopItem): ServerBlock[] {
    if (item.kind === 'import') return this.fileBlocks(this.importAt(item.words, item.braces));
    // Neither form was recognised, or recovery left a block without its addresses: nothing to build.
    if (item.kind === undefined || (item.words.length === 0 && !item.braces)) return [];
    const keys = this.keys(item.words);
    const body = item.braces;
    const first = keys[0];
    if (keys.length === 1 && first && first.text.startsWith('(') && first.text.endsWith(')')) {
      this.defineSnippet(first, body, this.itemRange(item));
      return [];
    }
    if (keys.length === 1 && first && first.text.startsWith('&(') && first.text.endsWith(')')) {
      if (!body) throw new ParseError(`syntax error: unexpected token '${first.text}', expecting '{'`, first);
      const name = { ...first, text: first.text.slice(2, -1) };
      const inner = bracesTokens(body);
      const range = this.itemRange(item);
      return [
        { keys: [name], hasBraces: true, isNamedRoute: true, segments: [{ tokens: [name, ...inner], range }], range },
      ];
    }
    const segments = body ? this.bodySegments(body) : this.stmtSegments(item.stmts);
    return [{ keys, hasBraces: !!body, isNamedRoute: false, segments, range: this.itemRange(item) }];
  }

  private itemRange(item: TopItem) {
    const [first, last] = edgesOfTop(item);
    if (first && last) return spanRange(first, last);
    return { file: this.file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
  }

  /** Site addresses, with Caddy's checks on commas and braces. */
  private keys(words: readonly Token[]): Token[] {
    const keys: Token[] = [];
    let expectingAnother = false;
    for (const t of words) {
      let value = t.text;
      if (value.startsWith('@')) {
        throw new ParseError(
          `request matchers may not be defined globally, they must be in a site block; found ${value}`,
          t,
        );
      }
      if (value.endsWith('{')) {
        throw new ParseError(
          `Site addresses cannot end with a curly brace: '${value}' - put a space between the token and the brace`,
          t,
        );
      }
      if (value === '') continue;
      expectingAnother = value.endsWith(',');
      if (expectingAnother) value = value.slice(0, -1);
      if (value.includes(',')) {
        throw new ParseError(
          `Site addresses cannot contain a comma ',': '${value}' - put a space after the comma to separate site addresses`,
          t,
        );
      }
      if (value !== '') keys.push({ ...t, text: value });
    }
    if (expectingAnother) {
      const last = words[words.length - 1];
      throw new ParseError("Expected another address but had '{' - check for extra comma", last);
    }
    return keys;
  }

  private defineSnippet(key: Token, body: Braces | undefined, range: SourceRange): void {
    if (!body) throw new ParseError(`syntax error: unexpected token '${key.text}', expecting '{'`, key);
    const tokens = bracesTokens(body).slice(1, -1);
    this.importer.defineSnippet(key, tokens);
    this.snippets.push({ name: key.text.slice(1, -1), key, tokens, range });
  }

  /** The segments of a `{ ... }` body, with the check that `}` does not end a directive's line. */
  private bodySegments(body: Braces): Segment[] {
    const segments = this.stmtSegments(body.stmts);
    const close = body.close;
    const lastSeg = segments[segments.length - 1];
    const lastTok = lastSeg?.tokens[lastSeg.tokens.length - 1];
    if (close && lastTok && !isNextOnNewLine(lastTok, close)) {
      this.error("Unexpected '}' because no matching opening brace", close);
    }
    return segments;
  }

  private stmtSegments(stmts: readonly Stmt[]): Segment[] {
    const segments: Segment[] = [];
    for (const stmt of stmts) {
      try {
        const head = stmt.items[0];
        if (head && isBraces(head)) {
          throw new ParseError(this.braceMessage(head), firstOfBraces(head));
        }
        if (head?.text === 'import') {
          segments.push(...this.stmtListSegments(this.importAt(lineWords(stmt), lineBlock(stmt))));
          continue;
        }
        const tokens = this.flatten(stmt);
        if (tokens.length > 0) segments.push({ tokens, range: spanRange(tokens[0]!, tokens[tokens.length - 1]!) });
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.error(e.message, e.token);
      }
    }
    return segments;
  }

  private stmtListSegments(tokens: Token[]): Segment[] {
    if (tokens.length === 0 || !this.checkDepth(tokens)) return [];
    const { nodes, errors } = parseStmts(tokens);
    this.grammarErrors(errors, tokens);
    return this.stmtSegments(nodes);
  }

  /** A directive line's tokens, with imports inside its blocks expanded in place. */
  private flatten(stmt: Stmt): Token[] {
    const out: Token[] = [];
    for (const x of stmt.items) {
      if (!isBraces(x)) {
        this.checkEmptyBraces(x, stmt);
        out.push(x);
        continue;
      }
      // a nested block: `{`, its lines, `}`
      if (x.open) out.push(x.open);
      for (const inner of x.stmts) {
        const head = inner.items[0];
        if (head && isBraces(head)) {
          this.error(this.braceMessage(head), firstOfBraces(head));
          continue;
        }
        if (head?.text === 'import') {
          for (const seg of this.stmtListSegments(this.importAt(lineWords(inner), lineBlock(inner))))
            out.push(...seg.tokens);
        } else out.push(...this.flatten(inner));
      }
      if (x.close) out.push(x.close);
    }
    return out;
  }

  private checkEmptyBraces(t: Token, stmt: Stmt): void {
    if (t.quote !== '' || t.text !== '{}') return;
    const all = stmtTokens(stmt);
    const next = all[all.indexOf(t) + 1];
    if (!next || isNextOnNewLine(t, next)) this.error("Unexpected '{}' at end of line", t);
  }

  /** Expands an `import` line (top level or inside a block) to the tokens it brings in. */
  private importAt(words: readonly Token[], block: Braces | undefined): Token[] {
    const importTok = words[0]!;
    try {
      let blockTokens: Token[] = [];
      if (block) {
        for (const s of block.stmts) {
          const head = s.items[0];
          if (head && isBraces(head)) throw new ParseError('anonymous blocks are not supported', firstOfBraces(head));
        }
        blockTokens = bracesTokens(block).slice(1, -1);
      }
      return this.importer.expand(importTok, words.slice(1), blockTokens);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.error(e.message, e.token ?? importTok, 'import-error');
      return [];
    }
  }
}

/** The words of a line (not those inside its blocks). */
function lineWords(stmt: Stmt): Token[] {
  const out: Token[] = [];
  for (const x of stmt.items) if (!isBraces(x)) out.push(x);
  return out;
}

/** The first block opened on a line. */
function lineBlock(stmt: Stmt): Braces | undefined {
  for (const x of stmt.items) if (isBraces(x)) return x;
  return undefined;
}
