/**
 * @module grammar: the Chevrotain grammar that groups a token stream into blocks and directive lines, the way
 * Caddy's `parse.go` does "just enough to group tokens". Line structure comes in as NL tokens (inserted where
 * Caddy's same-line rule says a new line starts), so the grammar itself stays declarative; what a directive
 * means is decided later, by the adapter.
 */
import { createToken, CstParser, EOF, Lexer, type CstNode, type IToken, type TokenType } from 'chevrotain';
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

/** The grammar. Rules: file, block, importLine, keys, siteBody, stmt, nestedBlock. */
export class CaddyfileGrammar extends CstParser {
  constructor() {
    // The grammar is fixed (and tested): skip Chevrotain's grammar validations, a large part of start-up.
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'none', skipValidations: true });
    this.performSelfAnalysis();
  }

  /** A whole file (or the tokens of an import at top level): blocks separated by newlines. */
  public file = this.RULE('file', () => {
    this.OPTION(() => this.CONSUME(NL));
    this.MANY(() => {
      this.SUBRULE(this.block);
      this.OPTION2(() => this.CONSUME2(NL));
    });
  });

  /** One top-level item: an import line, the global options block, or a site / snippet / named route. */
  public block = this.RULE('block', () => {
    this.OR([
      { GATE: () => isImport(this.LA(1)), ALT: () => this.SUBRULE(this.importLine) },
      { ALT: () => this.SUBRULE(this.siteBody) },
      {
        ALT: () => {
          this.SUBRULE(this.keys);
          this.OPTION(() => {
            this.OR2([
              { ALT: () => this.SUBRULE2(this.siteBody) },
              {
                GATE: () => this.LA(1).tokenType === NL && this.LA(2).tokenType === LCurly,
                ALT: () => {
                  this.CONSUME(NL);
                  this.SUBRULE3(this.siteBody);
                },
              },
              {
                // No braces: the rest of the file is this block's directives (single-site mode).
                GATE: () => this.LA(1).tokenType === NL && this.LA(2).tokenType !== EOF,
                ALT: () => {
                  this.CONSUME2(NL);
                  this.MANY(() => this.SUBRULE(this.stmt));
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  /** `import PATTERN ARGS... [{ block }]` at the top level. */
  public importLine = this.RULE('importLine', () => {
    this.AT_LEAST_ONE(() => this.CONSUME(WordT));
    this.OPTION(() => this.SUBRULE(this.nestedBlock));
  });

  /** Site addresses: words on one line; a trailing comma continues them on the next line. */
  public keys = this.RULE('keys', () => {
    this.AT_LEAST_ONE(() => this.CONSUME(WordT));
    this.MANY({
      GATE: () => endsWithComma(this.LA(0)) && this.LA(1).tokenType === NL && this.LA(2).tokenType === WordT,
      DEF: () => {
        this.CONSUME(NL);
        this.AT_LEAST_ONE2(() => this.CONSUME2(WordT));
      },
    });
  });

  /** `{ directives }` of a site, global options, snippet or named route. */
  public siteBody = this.RULE('siteBody', () => {
    this.CONSUME(LCurly);
    this.OPTION(() => this.CONSUME(NL));
    this.MANY(() => this.SUBRULE(this.stmt));
    this.CONSUME(RCurly);
  });

  /** Directive lines on their own: the tokens of an import spliced into a block. */
  public stmtList = this.RULE('stmtList', () => {
    this.OPTION(() => this.CONSUME(NL));
    this.MANY(() => this.SUBRULE(this.stmt));
  });

  /**
   * One directive line (Caddy's segment): words, and blocks opened at the end of the line. A line that
   * starts with `{` is accepted here and reported by the AST builder with Caddy's wording.
   */
  public stmt = this.RULE('stmt', () => {
    this.OR3(this.stmtFirst);
    this.MANY(this.stmtMore);
    this.OPTION(this.stmtEnd);
  });

  // Alternatives and bodies of the most frequent rule, made once: literals in the rule would be made per line.
  private readonly stmtFirst = [
    { ALT: () => this.CONSUME(WordT) },
    { ALT: () => this.SUBRULE3(this.nestedBlock) },
  ];

  private readonly stmtNext = [
    { ALT: () => this.CONSUME2(WordT) },
    { ALT: () => this.SUBRULE(this.nestedBlock) },
  ];

  private readonly stmtMore = () => this.OR(this.stmtNext);

  private readonly stmtEnd = () => this.CONSUME(NL);

  /** `{` NEWLINE directives `}` inside a directive. */
  public nestedBlock = this.RULE('nestedBlock', () => {
    this.CONSUME(LCurly);
    this.CONSUME(NL);
    this.MANY(() => this.SUBRULE(this.stmt));
    this.CONSUME(RCurly);
  });
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
  // The offset is twice the token's index in the stream (an NL sits between, at an odd offset): CST children
  // can be put back in source order, and offsets stay small integers. Positions are left out (the parser
  // tracks none; the payload has them), so the many tokens stay small.
  return { image, startOffset: offset, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type, payload };
}

/** Parses a token stream with the given entry rule. */
export function parseTokens(tokens: readonly Token[], rule: 'file' | 'stmts'): { cst: CstNode; errors: typeof grammar.errors } {
  grammar.input = toParserTokens(tokens);
  const cst = rule === 'file' ? grammar.file() : grammar.stmtList();
  const errors = grammar.errors;
  // The grammar is a singleton: let go of the token vector now rather than keep it until the next parse.
  grammar.input = [];
  return { cst, errors };
}
