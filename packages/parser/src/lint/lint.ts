/**
 * @module lint/lint: `lint(text, options)`: every parse and adapt diagnostic plus the findings of the lint
 * rules, each with a code and its configured severity, sorted by place.
 */
import type { Config } from '@proxy/contract';
import type { CaddyfileAST } from '../caddyfile/ast.js';
import { tokenizeFile } from '../caddyfile/lexer.js';
import { parse, type ParseOptions } from '../caddyfile/parser.js';
import type { Diagnostic } from '../diagnostics.js';
import { adapt } from '../adapt/adapt.js';
import { lintRules } from './rules/list.js';
import type { LintContext, LintDiagnostic, LintRule, RuleSeverity } from './types.js';

/** Options of `lint`: how to parse, and severities by code (rule codes, or `adapt-error`, `parsing-error`...). */
export interface LintOptions extends ParseOptions {
  rules?: Readonly<Record<string, RuleSeverity>>;
}

/** What `lintFile` gives: the diagnostics, and the AST and adapted config for checks made outside the parser. */
export interface LintResult {
  diagnostics: LintDiagnostic[];
  ast: CaddyfileAST;
  /** The adapted config, when adapting succeeded. */
  config?: Config;
}

function severityOf(code: string, fallback: RuleSeverity, rules: LintOptions['rules']): RuleSeverity {
  return rules?.[code] ?? fallback;
}

function fromDiagnostic(d: Diagnostic): LintDiagnostic {
  return { ...d, code: d.code ?? (d.severity === 'error' ? 'adapt-error' : 'adapt-warning') };
}

/** Runs one rule; a rule that fails is reported as a diagnostic of its own rather than ending the run. */
function runRule(rule: LintRule, ctx: LintContext, severity: 'error' | 'warning'): LintDiagnostic[] {
  try {
    return rule.check(ctx.ast, ctx).map((f) => ({
      severity,
      code: rule.code,
      message: f.message,
      file: f.range.file,
      line: f.range.line,
      column: f.range.column,
      endLine: f.range.endLine,
      endColumn: f.range.endColumn,
    }));
  } catch (e) {
    return [
      {
        severity: 'warning',
        code: rule.code,
        message: `internal error in rule ${rule.code}: ${e instanceof Error ? e.message : String(e)}`,
        file: ctx.ast.file,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      },
    ];
  }
}

/** Orders diagnostics by file (the main file first), line and column. */
export function sortDiagnostics<D extends Omit<Diagnostic, 'code'>>(list: D[], mainFile: string): D[] {
  const rank = (d: D) => (d.file === mainFile ? 0 : 1);
  return list.sort(
    (a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

/** Lints a Caddyfile; also gives the AST and the adapted config. Never throws. */
export function lintFile(text: string, options: LintOptions = {}): LintResult {
  const file = options.filename ?? 'Caddyfile';
  // adapt() parses again and reports the parse diagnostics with its own; the AST is what the rules read.
  const { ast } = parse(text, options);
  const adapted = adapt(text, options);
  const stageDiagnostics = [...adapted.errors, ...adapted.warnings];
  const ctx: LintContext = {
    ast,
    diagnostics: stageDiagnostics,
    fileTokens: tokenizeFile(text, file, options.env ?? process.env).tokens,
  };
  const out: LintDiagnostic[] = [];
  const on = lintRules.filter((r) => severityOf(r.code, r.defaultSeverity, options.rules) !== 'off');
  for (const rule of on)
    out.push(...runRule(rule, ctx, severityOf(rule.code, rule.defaultSeverity, options.rules) as 'error' | 'warning'));
  for (const d of stageDiagnostics) {
    if (on.some((r) => r.supersedes?.(d))) continue;
    const ld = fromDiagnostic(d);
    const severity = severityOf(ld.code, ld.severity, options.rules);
    if (severity !== 'off') out.push({ ...ld, severity });
  }
  const result: LintResult = { diagnostics: sortDiagnostics(out, file), ast };
  if (adapted.config) result.config = adapted.config;
  return result;
}

/** Lints a Caddyfile: parse and adapt diagnostics plus every rule's findings. */
export function lint(text: string, options: LintOptions = {}): LintDiagnostic[] {
  return lintFile(text, options).diagnostics;
}
