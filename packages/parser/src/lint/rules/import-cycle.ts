/** @module lint/rules/import-cycle: files or snippets that import each other (found while parsing). */
import type { Diagnostic } from '../../diagnostics.js';
import type { LintRule } from '../types.js';

const isCycle = (d: Diagnostic): boolean => d.message.startsWith('a cycle of imports exists');

export const importCycle: LintRule = {
  code: 'import-cycle',
  defaultSeverity: 'error',
  doc: 'Files or snippets import each other.',
  check(_ast, ctx) {
    return ctx.diagnostics.filter(isCycle).map((d) => ({ range: d, message: d.message }));
  },
  supersedes: isCycle,
};
