/**
 * @module parser: `parse(text, options)`. Lexes, groups tokens with the grammar, expands imports and snippets,
 * and builds the AST; every problem becomes a diagnostic with a range, and it never throws.
 */
import { dirname, resolve } from 'node:path';
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics.js';
import { spanRange, type CaddyfileAST, type Segment, type ServerBlock } from './ast.js';
import type { Env } from './env.js';
import { Importer, ParseError } from './imports.js';
import { tokenizeFile } from './lexer.js';
import { parseTokens, RCurly, streamIndex, tokenOf, WordT } from './grammar.js';
import { firstToken, inOrder, isToken, lastToken, named, ordered, orderRecoveredTree, tok } from './cst.js';
import { isNextOnNewLine, type Token } from './token.js';

/** Options of `parse`. */
export interface ParseOptions {
  /** The name recorded in tokens and diagnostics; "Caddyfile" by default. */
  filename?: string;
  /** The folder relative imports resolve against; the folder of `filename` by default. */
  dir?: string;
  /** Values for `{$VAR}`; `process.env` by default. */
  env?: Env;
  /** Reads an imported file; `fs.readFileSync` by default. */
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
  private readonly env: Env;
  private readonly importer: Importer;
  /** The token streams parsed so far, to find the token before a misplaced brace (only on errors). */
  private readonly streams: Token[][] = [];
  /** The token before each token of the first `indexed` streams, filled when an error needs it. */
  private readonly previous = new Map<Token, Token>();
  private indexed = 0;

  constructor(private readonly file: string, options: ParseOptions) {
    this.env = options.env ?? process.env;
    this.importer = new Importer({
      file, env: this.env, mainDir: resolve(options.dir ?? dirname(file)),
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
      return seen.has(key) ? false : (seen.add(key), true);
    });
    return { ast: { file: this.file, blocks, comments: lexed.comments }, diagnostics };
  }

  private error(message: string, token: Token | undefined, code: Diagnostic['code'] = 'parsing-error'): void {
    const r = token?.range;
    this.diagnostics.push({
      severity: 'error', code, message, file: r?.file ?? this.file,
      line: r?.line ?? 1, column: r?.column ?? 1, endLine: r?.endLine ?? 1, endColumn: r?.endColumn ?? 1,
    });
  }

  private warn(message: string, token: Token | undefined): void {
    const r = token?.range;
    this.diagnostics.push({
      severity: 'warning', code: 'import-error', message, file: r?.file ?? this.file,
      line: r?.line ?? 1, column: r?.column ?? 1, endLine: r?.endLine ?? 1, endColumn: r?.endColumn ?? 1,
    });
  }

  private parseStream(tokens: Token[], rule: 'file' | 'stmts'): CstNode | undefined {
    let depth = 0;
    for (const t of tokens) {
      if (t.quote !== '') continue;
      if (t.text === '{' && ++depth > MAX_BRACE_DEPTH) {
        this.error(`blocks are nested more than ${MAX_BRACE_DEPTH} levels deep`, t);
        return undefined;
      }
      if (t.text === '}') depth--;
    }
    this.streams.push(tokens);
    const { cst, errors } = parseTokens(tokens, rule);
    // Recovery may have inserted tokens (offset -1) that put a group out of order.
    if (errors.length > 0) orderRecoveredTree(cst);
    this.grammarErrors(errors, tokens);
    return cst;
  }

  /** The message for a block that opens where a directive should start. */
  private braceMessage(brace: Token | undefined): string {
    for (; this.indexed < this.streams.length; this.indexed++) {
      const tokens = this.streams[this.indexed]!;
      for (let i = 1; i < tokens.length; i++) this.previous.set(tokens[i]!, tokens[i - 1]!);
    }
    const prev = brace && this.previous.get(brace);
    return !brace || !prev || isNextOnNewLine(prev, brace)
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
        message = e.token.tokenType.name === 'NL'
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
    if (tokens.length === 0) return [];
    const cst = this.parseStream(tokens, 'file');
    if (!cst) return [];
    const blocks: ServerBlock[] = [];
    for (const child of named(cst, 'block') as CstNode[]) {
      try {
        blocks.push(...this.block(child));
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.error(e.message, e.token);
      }
    }
    return blocks;
  }

  private block(node: CstNode): ServerBlock[] {
    const children = ordered(node);
    const head = children[0];
    if (!head || isToken(head)) return [];
    if (head.name === 'importLine') return this.fileBlocks(this.importAt(head));
    if (head.name === 'siteBody') {
      const segments = this.bodySegments(head);
      return [{ keys: [], hasBraces: true, isNamedRoute: false, segments, range: this.nodeRange(node) }];
    }
    const keys = this.keys(head);
    const rest = children.slice(1);
    const body = rest.find((c): c is CstNode => !isToken(c) && c.name === 'siteBody');
    const first = keys[0];
    if (keys.length === 1 && first && first.text.startsWith('(') && first.text.endsWith(')')) {
      this.defineSnippet(first, body);
      return [];
    }
    if (keys.length === 1 && first && first.text.startsWith('&(') && first.text.endsWith(')')) {
      if (!body) throw new ParseError(`syntax error: unexpected token '${first.text}', expecting '{'`, first);
      const name = { ...first, text: first.text.slice(2, -1) };
      const inner = this.rawTokens(body);
      return [{ keys: [name], hasBraces: true, isNamedRoute: true, segments: [{ tokens: [name, ...inner], range: this.nodeRange(node) }], range: this.nodeRange(node) }];
    }
    let segments: Segment[];
    if (body) segments = this.bodySegments(body);
    else segments = this.stmtSegments(rest.filter((c): c is CstNode => !isToken(c) && c.name === 'stmt'));
    return [{ keys, hasBraces: !!body, isNamedRoute: false, segments, range: this.nodeRange(node) }];
  }

  private nodeRange(node: CstNode) {
    const first = firstToken(node);
    const last = lastToken(node);
    if (first && last) return spanRange(first, last);
    return { file: this.file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
  }

  /** Site addresses, with Caddy's checks on commas and braces. */
  private keys(node: CstNode): Token[] {
    const keys: Token[] = [];
    // Its words (a newline adds nothing), in order.
    const words = named(node, WordT.name).map(tok).filter((t): t is Token => !!t);
    let expectingAnother = false;
    for (const t of words) {
      let value = t.text;
      if (value.startsWith('@')) {
        throw new ParseError(`request matchers may not be defined globally, they must be in a site block; found ${value}`, t);
      }
      if (value.endsWith('{')) {
        throw new ParseError(`Site addresses cannot end with a curly brace: '${value}' - put a space between the token and the brace`, t);
      }
      if (value === '') continue;
      expectingAnother = value.endsWith(',');
      if (expectingAnother) value = value.slice(0, -1);
      if (value.includes(',')) {
        throw new ParseError(`Site addresses cannot contain a comma ',': '${value}' - put a space after the comma to separate site addresses`, t);
      }
      if (value !== '') keys.push({ ...t, text: value });
    }
    if (expectingAnother) {
      const last = words[words.length - 1];
      throw new ParseError("Expected another address but had '{' - check for extra comma", last);
    }
    return keys;
  }

  private defineSnippet(key: Token, body: CstNode | undefined): void {
    if (!body) throw new ParseError(`syntax error: unexpected token '${key.text}', expecting '{'`, key);
    this.importer.defineSnippet(key, this.rawTokens(body).slice(1, -1));
  }

  /** Every token under a node, in order, braces included, imports not expanded. */
  private rawTokens(node: CstNode): Token[] {
    const out: Token[] = [];
    collectTokens(node, out);
    return out;
  }

  /** The segments of a `{ ... }` body, with the check that `}` does not end a directive's line. */
  private bodySegments(body: CstNode): Segment[] {
    const segments = this.stmtSegments(named(body, 'stmt') as CstNode[]);
    // The closing brace (one the parser did not make up in recovery).
    const braces = named(body, RCurly.name);
    let close: Token | undefined;
    for (let i = braces.length - 1; i >= 0 && !close; i--) close = tok(braces[i]!);
    const lastSeg = segments[segments.length - 1];
    const lastTok = lastSeg?.tokens[lastSeg.tokens.length - 1];
    if (close && lastTok && !isNextOnNewLine(lastTok, close)) {
      this.error("Unexpected '}' because no matching opening brace", close);
    }
    return segments;
  }

  private stmtSegments(stmts: CstNode[]): Segment[] {
    const segments: Segment[] = [];
    for (const stmt of stmts) {
      try {
        // A line without blocks (the usual): its words are its children in order (a newline adds nothing).
        const children = inOrder(stmt) && !stmt.children['nestedBlock'] ? (stmt.children[WordT.name] ?? []) : ordered(stmt);
        const head = children[0];
        const first = head ? tok(head) : undefined;
        if (head && !isToken(head)) {
          const brace = firstToken(head);
          throw new ParseError(this.braceMessage(brace), brace);
        }
        if (first?.text === 'import') {
          segments.push(...this.stmtListSegments(this.importAt(stmt)));
          continue;
        }
        const tokens = this.flatten(stmt, children);
        if (tokens.length > 0) segments.push({ tokens, range: spanRange(tokens[0]!, tokens[tokens.length - 1]!) });
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.error(e.message, e.token);
      }
    }
    return segments;
  }

  private stmtListSegments(tokens: Token[]): Segment[] {
    if (tokens.length === 0) return [];
    const cst = this.parseStream(tokens, 'stmts');
    if (!cst) return [];
    return this.stmtSegments(named(cst, 'stmt') as CstNode[]);
  }

  /** A directive line's tokens, with imports inside its blocks expanded in place. */
  private flatten(stmt: CstNode, children = ordered(stmt)): Token[] {
    const out: Token[] = [];
    for (const c of children) {
      if (isToken(c)) {
        const t = tokenOf(c);
        if (t) this.checkEmptyBraces(t, stmt, out);
        if (t) out.push(t);
        continue;
      }
      // a nested block: `{`, its lines, `}`
      for (const inner of ordered(c)) {
        if (isToken(inner)) {
          const t = tokenOf(inner);
          if (t) out.push(t);
        } else if (inner.name === 'stmt') {
          const innerChildren = ordered(inner);
          const head = innerChildren[0];
          const first = head ? tok(head) : undefined;
          if (head && !isToken(head)) {
            const brace = firstToken(head);
            this.error(this.braceMessage(brace), brace);
            continue;
          }
          if (first?.text === 'import') {
            for (const seg of this.stmtListSegments(this.importAt(inner))) out.push(...seg.tokens);
          } else out.push(...this.flatten(inner, innerChildren));
        }
      }
    }
    return out;
  }

  private checkEmptyBraces(t: Token, stmt: CstNode, _sofar: Token[]): void {
    if (t.quote !== '' || t.text !== '{}') return;
    const all = this.rawTokens(stmt);
    const i = all.indexOf(t);
    const next = all[i + 1];
    if (!next || isNextOnNewLine(t, next)) this.error("Unexpected '{}' at end of line", t);
  }

  /** Expands an `import` line (top level or inside a block) to the tokens it brings in. */
  private importAt(node: CstNode): Token[] {
    const children = ordered(node);
    const words = children.map(tok).filter((t): t is Token => !!t);
    const importTok = words[0]!;
    const blockNode = children.find((c): c is CstNode => !isToken(c) && c.name === 'nestedBlock');
    try {
      let blockTokens: Token[] = [];
      if (blockNode) {
        for (const s of ordered(blockNode)) {
          if (isToken(s) || s.name !== 'stmt') continue;
          const head = ordered(s)[0];
          if (head && !isToken(head)) throw new ParseError('anonymous blocks are not supported', firstToken(head));
        }
        blockTokens = this.rawTokens(blockNode).slice(1, -1);
      }
      return this.importer.expand(importTok, words.slice(1), blockTokens);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.error(e.message, e.token ?? importTok, 'import-error');
      return [];
    }
  }
}

function collectTokens(node: CstNode, out: Token[]): void {
  for (const c of ordered(node)) {
    if (isToken(c)) {
      const t = tokenOf(c);
      if (t) out.push(t);
    } else collectTokens(c, out);
  }
}
