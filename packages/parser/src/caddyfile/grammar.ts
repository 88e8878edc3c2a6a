/**
 * @module grammar: the Chevrotain grammar that groups a token stream into blocks and directive lines, the way
 * Caddy's `parse.go` does "just enough to group tokens". Line structure comes in as NL tokens (inserted where
 * Caddy's same-line rule says a new line starts), so the grammar itself stays declarative. It builds the
 * syntax tree (`syntax.ts`) as it parses, in source order; what a directive means is decided later, by the adapter.
 */
import {
  createToken,
  EmbeddedActionsParser,
  EOF,
  Lexer,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import { newBraces, newStmt, newTopItem, type Braces, type Stmt, type TopItem } from './syntax.js';
import { isNextOnNewLine, type Token } from './token.js';

/** Any token that is not a structural brace. */
export const WordT = createToken({ name: 'Word', pattern: Lexer.NA });
/** An unquoted `{`. */
export const LCurly = createToken({ name: 'LCurly', pattern: Lexer.NA });
/** An unquoted `}`. */
export const RCurly = createToken({ name: 'RCurly', pattern: Lexer.NA });
/** The start of a new line. */
export const NL = createToken({ name: 'NL', pattern: Lexer.NA });

const allTokens: TokenType[] = [WordT, LCurly, RCurly, NL];

/** Text of the token a parser token stands for; NL tokens have none. */
export function tokenOf(t: IToken): Token | undefined {
  return t.payload as Token | undefined;
}

function endsWithComma(t: IToken): boolean {
  const tok = tokenOf(t);
  return !!tok && tok.quote === '' && tok.text.endsWith(',');
}

function isImport(t: IToken): boolean {
  return t.tokenType === WordT && tokenOf(t)?.text === 'import';
}

/**
 * The grammar. Rules: file, block, importLine, keys, siteBody, stmtList, stmt, nestedBlock. Each rule fills the
 * node its caller made and attached beforehand, so what was parsed before an error stays in the tree when
 * recovery abandons a rule; tokens made up in recovery carry no source token and are left out.
 */
export class CaddyfileGrammar extends EmbeddedActionsParser {
  /** The line being filled (the shared alternatives below cannot take it as an argument). */
  private stmtNode: Stmt = newStmt();

  constructor() {
    // The grammar is fixed (and tested): skip Chevrotain's grammar validations, a large part of start-up.
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3, skipValidations: true });
    this.performSelfAnalysis();
  }

  /** A whole file (or the tokens of an import at top level): blocks separated by newlines. */
  public file = this.RULE('file', (out: TopItem[] = []) => {
    this.OPTION(() => this.CONSUME(NL));
    this.MANY(() => {
      const item = newTopItem();
      out.push(item);
      this.SUBRULE(this.block, { ARGS: [item] });
      this.OPTION2(() => this.CONSUME2(NL));
    });
  });

  /** One top-level item: an import line, the global options block, or a site / snippet / named route. */
  public block = this.RULE('block', (item: TopItem = newTopItem()) => {
    this.OR([
      {
        GATE: () => isImport(this.LA(1)),
        ALT: () => {
          item.kind = 'import';
          this.SUBRULE(this.importLine, { ARGS: [item] });
        },
      },
      {
        ALT: () => {
          item.kind = 'block';
          this.SUBRULE(this.siteBody, { ARGS: [(item.braces = newBraces())] });
        },
      },
      {
        ALT: () => {
          item.kind = 'block';
          this.SUBRULE(this.keys, { ARGS: [item.words] });
          this.OPTION(() => {
            this.OR2([
              { ALT: () => this.SUBRULE2(this.siteBody, { ARGS: [(item.braces = newBraces())] }) },
              {
                GATE: () => this.LA(1).tokenType === NL && this.LA(2).tokenType === LCurly,
                ALT: () => {
                  this.CONSUME(NL);
                  this.SUBRULE3(this.siteBody, { ARGS: [(item.braces = newBraces())] });
                },
              },
              {
                // No braces: the rest of the file is this block's directives (single-site mode).
                GATE: () => this.LA(1).tokenType === NL && this.LA(2).tokenType !== EOF,
                ALT: () => {
                  this.CONSUME2(NL);
                  this.MANY(() => this.stmtInto(item.stmts));
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  /** `import PATTERN ARGS... [{ block }]` at the top level. */
  public importLine = this.RULE('importLine', (item: TopItem = newTopItem()) => {
    this.AT_LEAST_ONE(() => pushWord(item.words, this.CONSUME(WordT)));
    this.OPTION(() => this.SUBRULE(this.nestedBlock, { ARGS: [(item.braces = newBraces())] }));
  });

  /** Site addresses: words on one line; a trailing comma continues them on the next line. */
  public keys = this.RULE('keys', (words: Token[] = []) => {
    this.AT_LEAST_ONE(() => pushWord(words, this.CONSUME(WordT)));
    this.MANY({
      GATE: () => endsWithComma(this.LA(0)) && this.LA(1).tokenType === NL && this.LA(2).tokenType === WordT,
      DEF: () => {
        this.CONSUME(NL);
        this.AT_LEAST_ONE2(() => pushWord(words, this.CONSUME2(WordT)));
      },
    });
  });

  /** `{ directives }` of a site, global options, snippet or named route. */
  public siteBody = this.RULE('siteBody', (b: Braces = newBraces()) => {
    b.open = tokenOf(this.CONSUME(LCurly));
    this.OPTION(() => this.CONSUME(NL));
    this.MANY(() => this.stmtInto(b.stmts));
    b.close = tokenOf(this.CONSUME(RCurly));
  });

  /** Directive lines on their own: the tokens of an import spliced into a block. */
  public stmtList = this.RULE('stmtList', (out: Stmt[] = []) => {
    this.OPTION(() => this.CONSUME(NL));
    this.MANY(() => this.stmtInto(out));
  });

  /**
   * One directive line (Caddy's segment): words, and blocks opened at the end of the line. A line that
   * starts with `{` is accepted here and reported by the AST builder with Caddy's wording.
   */
  public stmt = this.RULE('stmt', (s: Stmt = newStmt()) => {
    this.stmtNode = s;
    this.OR3(this.stmtFirst);
    this.MANY(this.stmtMore);
    this.OPTION(this.stmtEnd);
  });

  /** Parses a line into a new node appended to `out` (before parsing, so recovery keeps what was read). */
  private stmtInto(out: Stmt[]): void {
    const s = newStmt();
    out.push(s);
    this.SUBRULE(this.stmt, { ARGS: [s] });
  }

  /** A block on the current line; the line is the current one again once the block is parsed. */
  private readonly lineBlock = (idx: number): void => {
    const s = this.stmtNode;
    const b = newBraces();
    // A block cannot start a line; the AST builder words the error by what came before (NL: a line break).
    if (s.items.length === 0) {
      const before = this.LA(0).tokenType;
      b.onNewLine = before === NL || before === EOF;
    }
    s.items.push(b);
    this.subrule(idx, this.nestedBlock, { ARGS: [b] });
    this.stmtNode = s;
  };

  // Alternatives and bodies of the most frequent rule, made once: literals in the rule would be made per line.
  private readonly stmtFirst = [
    { ALT: () => pushWord(this.stmtNode.items, this.CONSUME(WordT)) },
    { ALT: () => this.lineBlock(3) },
  ];

  private readonly stmtNext = [
    { ALT: () => pushWord(this.stmtNode.items, this.CONSUME2(WordT)) },
    { ALT: () => this.lineBlock(0) },
  ];

  private readonly stmtMore = () => this.OR(this.stmtNext);

  private readonly stmtEnd = () => this.CONSUME(NL);

  /** `{` NEWLINE directives `}` inside a directive. */
  public nestedBlock = this.RULE('nestedBlock', (b: Braces = newBraces()) => {
    b.open = tokenOf(this.CONSUME(LCurly));
    this.CONSUME(NL);
    this.MANY(() => this.stmtInto(b.stmts));
    b.close = tokenOf(this.CONSUME(RCurly));
  });
}

/** Appends the source token of a consumed word (none when recovery made it up). */
function pushWord(out: (Token | Braces)[], t: IToken): void {
  const tok = tokenOf(t);
  if (tok) out.push(tok);
}

/** The single grammar instance (Chevrotain parsers are built once and reused). */
export const grammar = new CaddyfileGrammar();

/** Converts tokens to the grammar's input, inserting NL where Caddy sees a new line. */
export function toParserTokens(tokens: readonly Token[]): IToken[] {
  const out: IToken[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const t = tokens[index]!;
    if (index > 0 && isNextOnNewLine(tokens[index - 1]!, t)) out.push(make(NL, '\n', 2 * index - 1, undefined));
    const type = t.quote === '' && t.text === '{' ? LCurly : t.quote === '' && t.text === '}' ? RCurly : WordT;
    out.push(make(type, t.text, 2 * index, t));
  }
  return out;
}

/** The index in its stream of a token made by `toParserTokens` (not NL). */
export function streamIndex(t: IToken): number {
  return t.startOffset / 2;
}

function make(type: TokenType, image: string, offset: number, payload: Token | undefined): IToken {
  // The offset is twice the token's index in the stream (an NL sits between, at an odd offset), so an error
  // can find the token before the one it is at. Positions are left out (the parser tracks none; the payload
  // has them), so the many tokens stay small.
  return { image, startOffset: offset, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type, payload };
}

/** What the grammar gives for a token stream: the items it built and the errors it recovered from. */
export interface GrammarResult<T> {
  nodes: T[];
  errors: IRecognitionException[];
}

/** Parses the token stream of a file (or of an import at the top level) into top-level items. */
export function parseFile(tokens: readonly Token[]): GrammarResult<TopItem> {
  const nodes: TopItem[] = [];
  return { nodes, errors: run(tokens, () => grammar.file(nodes)) };
}

/** Parses the token stream of an import inside a block into directive lines. */
export function parseStmts(tokens: readonly Token[]): GrammarResult<Stmt> {
  const nodes: Stmt[] = [];
  return { nodes, errors: run(tokens, () => grammar.stmtList(nodes)) };
}

function run(tokens: readonly Token[], entry: () => void): IRecognitionException[] {
  grammar.input = toParserTokens(tokens);
  entry();
  const errors = grammar.errors;
  // The grammar is a singleton: let go of the token vector now rather than keep it until the next parse.
  grammar.input = [];
  return errors;
}
