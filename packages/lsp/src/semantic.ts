/**
 * @module semantic: semantic tokens: site addresses, directives and options, subdirectives, named matchers,
 * snippet and route names, placeholders, quoted strings and comments.
 */
import type { SemanticTokensLegend } from 'vscode-languageserver';
import type { Outline } from './outline.js';

export const LEGEND: SemanticTokensLegend = {
  tokenTypes: ['namespace', 'keyword', 'property', 'variable', 'function', 'macro', 'string', 'comment'],
  tokenModifiers: [],
};

/** Indexes into `LEGEND.tokenTypes`. */
const T = { Namespace: 0, Keyword: 1, Property: 2, Variable: 3, Function: 4, Macro: 5, String: 6, Comment: 7 } as const;
type T = (typeof T)[keyof typeof T];

interface Item {
  line: number;
  char: number;
  length: number;
  type: T;
}

/** The encoded semantic tokens of a file (LSP's relative five-number form). */
export function semanticTokens(o: Outline): number[] {
  const items: Item[] = [];
  for (const e of o.entries) {
    e.tokens.forEach((t, i) => {
      const r = t.range;
      if (r.line !== r.endLine) return;
      let type: T | undefined;
      if (e.depth === 0) type = e.top === 'site' ? T.Namespace : e.top === 'import' && i === 0 ? T.Keyword : T.Function;
      else if (t.text.startsWith('@') && t.quote === '') type = T.Variable;
      else if (i === 0) type = e.depth === 1 ? T.Keyword : T.Property;
      else if (e.tokens[0]?.text === 'import' || e.tokens[0]?.text === 'invoke') type = T.Function;
      else if (t.quote !== '') type = T.String;
      else if (t.text.includes('{') && t.text.includes('}')) type = T.Macro;
      if (type !== undefined)
        items.push({ line: r.line - 1, char: r.column - 1, length: r.endColumn - r.column, type });
    });
  }
  for (const c of o.comments)
    items.push({ line: c.line - 1, char: c.column - 1, length: c.text.length, type: T.Comment });
  items.sort((a, b) => a.line - b.line || a.char - b.char);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const it of items) {
    const dl = it.line - line;
    data.push(dl, dl === 0 ? it.char - char : it.char, it.length, it.type, 0);
    line = it.line;
    char = it.char;
  }
  return data;
}
