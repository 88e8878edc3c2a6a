/** @module lint: the Caddyfile linter: rules a careful reviewer applies, on top of parse and adapt diagnostics. */
export { lint, lintFile, sortDiagnostics, type LintOptions, type LintResult } from './lint.js';
export { locateConfigPath } from './locate.js';
export { lintRules } from './rules/list.js';
export type { Finding, LintContext, LintDiagnostic, LintRule, RuleSeverity, Span } from './types.js';
