/**
 * @module placeholders: completion and hover of `{...}` placeholders, from the parser's placeholder catalogue
 * (the shorthands first: they are what a Caddyfile usually writes).
 */
import { lookupPlaceholder, placeholders, type PlaceholderDoc, type Token } from '@proxy/parser';
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver';

function markdown(p: PlaceholderDoc): string {
  const where = p.setBy ? `\n\nSet by ${p.setBy}.` : '';
  const expands = p.expands ? `\n\nShorthand for \`${p.expands}\`.` : '';
  return `\`${p.name}\` (${p.app})\n\n${p.doc}${expands}${where}`;
}

/** Every catalogued placeholder as a completion after `{` (a family's `*` left for the name). */
export function placeholderItems(): CompletionItem[] {
  return [...placeholders()]
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'shorthand' ? -1 : 1))
    .map((p) => {
      const text = p.name.slice(1).replace(/\*\}$/, '');
      return {
        label: p.name,
        insertText: text,
        filterText: p.name.slice(1, -1),
        kind: CompletionItemKind.Variable,
        detail: p.doc,
        documentation: { kind: MarkupKind.Markdown, value: markdown(p) },
      };
    });
}

/** The hover of the placeholder under `offset` inside token `t`, if the cursor is on a catalogued one. */
export function placeholderHover(t: Token, offset: number): string | undefined {
  if (!t.text.includes('{')) return undefined;
  const at = offset - t.range.offset - (t.quote === '' ? 0 : 1);
  for (const m of t.text.matchAll(/\{[^{}\s]+\}/g)) {
    if (m.index <= at && at < m.index + m[0].length) {
      const p = lookupPlaceholder(m[0]);
      return p && markdown(p);
    }
  }
  return undefined;
}
