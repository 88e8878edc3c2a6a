/** @module lint/types: the shapes shared by the lint rules, the runner and the command that prints them. */
import type { CaddyfileAST } from '../caddyfile/ast.js';
import type { Token } from '../caddyfile/token.js';
import type { Diagnostic, Severity, SourceRange } from '../diagnostics.js';

/** A rule's severity as configured: `off` drops its findings. */
export type RuleSeverity = Severity | 'off';

/** A diagnostic with a lint code: a rule's code, or the code of a parse, adapt or validation problem. */
export interface LintDiagnostic extends Omit<Diagnostic, 'code'> {
  code: string;
}

/** Where a finding is: a source range, offsets optional (diagnostics re-coded from other stages have none). */
export type Span = Pick<SourceRange, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'>;

/** What a rule reports: where and what; the runner adds the code and the configured severity. */
export interface Finding {
  range: Span;
  message: string;
}

/** What every rule may read: the AST (imports and snippets expanded) and the main file's own tokens. */
export interface LintContext {
  ast: CaddyfileAST;
  /** The main file's tokens as written (snippet definitions included), for rules about definitions. */
  fileTokens: readonly Token[];
  /** Diagnostics of parsing and adapting, for rules that re-code one of them. */
  diagnostics: readonly Diagnostic[];
}

/** One lint rule: a stable code, its default severity, a one-line doc, and the check. */
export interface LintRule {
  code: string;
  defaultSeverity: Severity;
  doc: string;
  check(ast: CaddyfileAST, ctx: LintContext): Finding[];
  /**
   * Parse or adapt diagnostics this rule reports better (with its own code); they are dropped when the rule
   * is on, and kept when it is off.
   */
  supersedes?(d: Diagnostic): boolean;
}
