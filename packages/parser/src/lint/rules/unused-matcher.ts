/** @module lint/rules/unused-matcher: a named matcher `@name` defined in a site but used by no directive. */
import type { Token } from '../../caddyfile/token.js';
import { allLines, blockLines } from '../lines.js';
import type { Finding, LintRule } from '../types.js';

export const unusedMatcher: LintRule = {
  code: 'unused-matcher',
  defaultSeverity: 'warning',
  doc: 'A named matcher is defined but no directive uses it.',
  check(ast) {
    const out: Finding[] = [];
    const reported = new Set<string>();
    for (const block of ast.blocks) {
      if (block.keys.length === 0) continue;
      const defs = new Map<string, Token>();
      const used = new Set<string>();
      for (const line of allLines(blockLines(block))) {
        line.words.forEach((t, i) => {
          if (t.quote !== '' || !t.text.startsWith('@') || t.text.length < 2) return;
          // First on its line it defines the matcher; anywhere else it names one.
          if (i === 0) {
            if (!defs.has(t.text)) defs.set(t.text, t);
          } else used.add(t.text);
        });
      }
      for (const [name, t] of defs) {
        // A snippet imported into several sites is one place in the source: report it once.
        if (used.has(name) || reported.has(`${t.range.file}:${t.range.offset}`)) continue;
        reported.add(`${t.range.file}:${t.range.offset}`);
        out.push({ range: t.range, message: `matcher ${name} is defined but never used` });
      }
    }
    return out;
  },
};
