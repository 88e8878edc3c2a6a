/** @module lint/rules/unused-snippet: a snippet `(name) { }` that no `import` brings in. */
import { isCloseBrace, isNextOnNewLine, isOpenBrace, type Token } from '../../caddyfile/token.js';
import { allWords, blockLines } from '../lines.js';
import type { Finding, LintRule } from '../types.js';

/**
 * The main file's top-level snippet definitions (`(name)` first on its line, before `{`, outside any block),
 * and the names that `import` lines outside snippet definitions name.
 */
function scan(tokens: readonly Token[]): { defs: Token[]; imported: Set<string> } {
  const defs: Token[] = [];
  const imported = new Set<string>();
  let depth = 0;
  let snippetDepth = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOpenBrace(t)) depth++;
    else if (isCloseBrace(t)) {
      depth--;
      if (depth === snippetDepth) snippetDepth = -1;
    } else if (depth === 0 && t.quote === '' && t.text.length > 2 && t.text.startsWith('(') && t.text.endsWith(')')) {
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if ((!prev || isNextOnNewLine(prev, t)) && next && isOpenBrace(next)) {
        defs.push(t);
        snippetDepth = 0;
      }
    } else if (snippetDepth < 0 && t.quote === '' && t.text === 'import' && tokens[i + 1])
      imported.add(tokens[i + 1]!.text);
  }
  return { defs, imported };
}

export const unusedSnippet: LintRule = {
  code: 'unused-snippet',
  defaultSeverity: 'warning',
  doc: 'A snippet is defined but never imported.',
  check(ast, ctx) {
    const { defs, imported } = scan(ctx.fileTokens);
    if (defs.length === 0) return [];
    // Imported from a site or another file: tokens of the expanded AST came from it (also when a used snippet
    // imports it). An empty snippet leaves no tokens, so an `import` line outside snippets counts too.
    const used = imported;
    for (const block of ast.blocks) {
      for (const t of block.keys) if (t.snippetName) used.add(t.snippetName);
      for (const t of allWords(blockLines(block))) if (t.snippetName) used.add(t.snippetName);
    }
    const out: Finding[] = [];
    for (const d of defs) {
      const name = d.text.slice(1, -1);
      if (!used.has(name)) out.push({ range: d.range, message: `snippet ${name} is defined but never imported` });
    }
    return out;
  },
};
