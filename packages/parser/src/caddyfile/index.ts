/** @module caddyfile: the Caddyfile language: tokens, lexer, grammar, parser and AST. */
export type { CaddyfileAST, Segment, ServerBlock, SnippetDefinition } from './ast.js';
export { replaceEnvVars, substituteEnv, type Env, type Substitution, type SubstitutedText } from './env.js';
export { tokenize, tokenizeFile, type CommentToken, type LexResult } from './lexer.js';
export { parse, type ParseOptions, type ParseResult } from './parser.js';
export {
  isCloseBrace,
  isNextOnNewLine,
  isOpenBrace,
  isQuoted,
  numLineBreaks,
  rawValue,
  type QuoteKind,
  type Token,
} from './token.js';
export { CaddyfileError, Dispenser } from './dispenser.js';
export { nodeFileSystem, type FileStat, type FileSystem } from './file-system.js';
export { memoryFileSystem } from './memory-file-system.js';
export { nodeAt, type BlockKind, type NodePath } from './node-at.js';
