/**
 * @module dispenser: the token cursor every directive and option parser uses (Caddy's `Dispenser`), with the
 * same vocabulary (next, nextArg, nextLine, nextBlock, remainingArgs, val...) and error helpers that carry the
 * token, so errors name file, line and column.
 */
import { isNextOnNewLine, isOpenBrace, isCloseBrace, rawValue, type Token } from './token.js';
import { tokenize } from './lexer.js';
import type { DiagnosticCode } from '../diagnostics.js';

/**
 * An error found while interpreting tokens; `token` gives its place. Message text follows Caddy's; `code`,
 * where the helper that made it knows the kind of problem, is the diagnostic code tools filter on.
 */
export class CaddyfileError extends Error {
  constructor(
    message: string,
    readonly token: Token | undefined,
    readonly code?: DiagnosticCode,
  ) {
    super(message);
    this.name = 'CaddyfileError';
  }
}

/** Walks a list of tokens. The cursor starts before the first token (-1), as in Caddy. */
export class Dispenser {
  private cursor = -1;
  private nestingLevel = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly defaultFile = 'Caddyfile',
  ) {}

  /** A dispenser over the tokens of some Caddyfile text, for tests (like Caddy's NewTestDispenser). */
  static fromText(text: string): Dispenser {
    return new Dispenser(tokenize(text, 'Testfile').tokens, 'Testfile');
  }

  /** Moves to the next token, whatever line it is on. */
  next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** Moves to the next token if it is on the same line (Caddy's `nextOnSameLine`: it advances). */
  private nextOnSameLine(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.tokens.length - 1) return false;
    if (!isNextOnNewLine(this.tokens[this.cursor]!, this.tokens[this.cursor + 1]!)) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** Moves back one token. */
  prev(): boolean {
    if (this.cursor > -1) {
      this.cursor--;
      return true;
    }
    return false;
  }

  /** Moves to the next token if it is on the same line and is not a block opening. */
  nextArg(): boolean {
    if (!this.nextOnSameLine()) return false;
    if (isOpenBrace(this.token())) {
      this.cursor--;
      return false;
    }
    return true;
  }

  /** Moves to the next token only if it starts a new line. */
  nextLine(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.tokens.length - 1) return false;
    if (isNextOnNewLine(this.tokens[this.cursor]!, this.tokens[this.cursor + 1]!)) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /**
   * Walks a block: `for (const n = d.nesting(); d.nextBlock(n); ) { switch (d.val()) ... }`. On each
   * iteration `val()` is the first token of a line inside the block.
   */
  nextBlock(initialNesting: number): boolean {
    if (this.nestingLevel > initialNesting) {
      if (!this.next()) return false;
      if (isCloseBrace(this.token()) && !this.nextOnSameLine()) this.nestingLevel--;
      else if (isOpenBrace(this.token()) && !this.nextOnSameLine()) this.nestingLevel++;
      return this.nestingLevel > initialNesting;
    }
    if (!this.nextOnSameLine()) return false;
    if (!isOpenBrace(this.token())) {
      this.cursor--;
      return false;
    }
    this.next();
    if (isCloseBrace(this.token())) return false;
    this.nestingLevel++;
    return true;
  }

  /** The current block depth. */
  nesting(): number {
    return this.nestingLevel;
  }

  /** The current token's text, or "" outside the tokens. */
  val(): string {
    return this.tokens[this.cursor]?.text ?? '';
  }

  /** The current token's text with its quotes put back (heredocs are not re-wrapped). */
  valRaw(): string {
    const t = this.tokens[this.cursor];
    return t ? rawValue(t) : '';
  }

  /** The current token as a scalar: quoted stays a string; else integer, float, boolean, or string. */
  scalarVal(): string | number | boolean {
    const t = this.tokens[this.cursor];
    if (!t) return '';
    if (t.quote !== '') return t.text;
    const v = t.text;
    if (/^[+-]?\d+$/.test(v)) return Number(v);
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) || /^[+-]?(inf|infinity|nan)$/i.test(v)) return Number(v);
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
    return v;
  }

  /** The current token (a placeholder past either end). */
  token(): Token {
    return this.tokens[this.cursor] ?? this.tokens[this.tokens.length - 1] ?? emptyToken(this.defaultFile);
  }

  /** Whether the cursor is on a token. */
  hasToken(): boolean {
    return this.cursor >= 0 && this.cursor < this.tokens.length;
  }

  /** Caddy's line number of the current token. */
  line(): number {
    return this.tokens[this.cursor]?.line ?? 0;
  }

  /** The file of the current token. */
  file(): string {
    return this.tokens[this.cursor]?.file || this.defaultFile;
  }

  /** Loads the remaining arguments on the line into `targets`; false (cursor unchanged) if the count differs. */
  args(count: number): string[] | undefined {
    const start = this.cursor;
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      if (!this.nextArg()) {
        this.cursor = start;
        return undefined;
      }
      out.push(this.val());
    }
    return out;
  }

  /** Exactly `count` remaining arguments, or undefined (and the cursor restored) if there are more or fewer. */
  allArgs(count: number): string[] | undefined {
    const start = this.cursor;
    const out = this.remainingArgs();
    if (out.length !== count) {
      this.cursor = start;
      return undefined;
    }
    return out;
  }

  /** All remaining arguments on the line. */
  remainingArgs(): string[] {
    const out: string[] = [];
    while (this.nextArg()) out.push(this.val());
    return out;
  }

  /** All remaining arguments on the line, quotes put back. */
  remainingArgsRaw(): string[] {
    const out: string[] = [];
    while (this.nextArg()) out.push(this.valRaw());
    return out;
  }

  /** How many arguments remain on the line, without moving. */
  countRemainingArgs(): number {
    const start = this.cursor;
    const n = this.remainingArgs().length;
    this.cursor = start;
    return n;
  }

  /** Whether the current token starts a line. */
  isNewLine(): boolean {
    if (this.cursor < 1) return true;
    if (this.cursor > this.tokens.length - 1) return false;
    return isNextOnNewLine(this.tokens[this.cursor - 1]!, this.tokens[this.cursor]!);
  }

  /** Whether the token after the current one starts a line. */
  isNextOnNewLine(): boolean {
    if (this.cursor < 0) return false;
    if (this.cursor >= this.tokens.length - 1) return true;
    return isNextOnNewLine(this.tokens[this.cursor]!, this.tokens[this.cursor + 1]!);
  }

  /** The current token, the rest of its line and the block opened at its end (Caddy's `NextSegment`). */
  nextSegment(): Token[] {
    const seg: Token[] = [];
    const start = this.tokens[this.cursor];
    if (!start) return seg;
    seg.push(start);
    let depth = 0;
    while (this.cursor < this.tokens.length - 1) {
      const next = this.tokens[this.cursor + 1]!;
      if (depth === 0 && isNextOnNewLine(this.tokens[this.cursor]!, next)) break;
      this.cursor++;
      seg.push(next);
      if (isOpenBrace(next)) depth++;
      else if (isCloseBrace(next)) depth--;
      if (depth < 0) {
        seg.pop();
        this.cursor--;
        break;
      }
    }
    return seg;
  }

  /** A new dispenser over the next segment (Caddy's `NewFromNextSegment`). */
  newFromNextSegment(): Dispenser {
    return new Dispenser(this.nextSegment(), this.defaultFile);
  }

  /** A new dispenser over the same tokens, from the start. */
  clone(): Dispenser {
    return new Dispenser(this.tokens, this.defaultFile);
  }

  /** The tokens this dispenser walks. */
  allTokens(): readonly Token[] {
    return this.tokens;
  }

  /** Removes the current token; the cursor moves back one. */
  delete(): void {
    if (this.cursor >= 0 && this.cursor < this.tokens.length) {
      this.tokens.splice(this.cursor, 1);
      this.cursor--;
    }
  }

  /** Back to before the first token, nesting 0. */
  reset(): void {
    this.cursor = -1;
    this.nestingLevel = 0;
  }

  /** `wrong argument count or unexpected line ending after 'X'`. */
  argErr(): CaddyfileError {
    if (isOpenBrace(this.token())) return this.err("unexpected token '{', expecting argument", 'bad-argument');
    return this.err(`wrong argument count or unexpected line ending after '${this.val()}'`, 'bad-argument');
  }

  /** `syntax error: unexpected token 'X', expecting 'Y', at F:L import chain: [...]`. */
  syntaxErr(expected: string): CaddyfileError {
    const t = this.token();
    const chain = t.imports.join("','");
    return new CaddyfileError(
      `syntax error: unexpected token '${this.val()}', expecting '${expected}', at ${this.file()}:${this.line()} import chain: ['${chain}']`,
      t,
      'syntax-error',
    );
  }

  /** `unexpected EOF`. */
  eofErr(): CaddyfileError {
    return this.err('unexpected EOF', 'unexpected-eof');
  }

  /** An error at the current token, with `, at FILE:LINE` (and the import chain) appended as Caddy does. */
  err(message: string, code?: DiagnosticCode): CaddyfileError {
    return new CaddyfileError(this.where(message), this.token(), code);
  }

  /** Appends the current position to a message (Caddy's `WrapErr`). */
  where(message: string): string {
    const t = this.tokens[this.cursor];
    if (t && t.imports.length > 0) {
      return `${message}, at ${this.file()}:${this.line()} import chain ['${t.imports.join("','")}']`;
    }
    return `${message}, at ${this.file()}:${this.line()}`;
  }
}

function emptyToken(file: string): Token {
  return {
    text: '',
    quote: '',
    line: 0,
    file,
    imports: [],
    range: { file, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 },
  };
}
