/**
 * @module completion: names that fit where the cursor is: directives (in the default handler order), global
 * options, subdirectives of the enclosing module, matchers, named matchers `@x`, snippet names after `import`,
 * placeholders inside `{`, and caddy-l4 modules.
 */
import type { ModuleDoc } from '@proxy/parser';
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { ARGUMENT_KINDS, catalog, moduleMarkdown } from './catalog.js';
import { blockContext } from './context.js';
import { definitions } from './symbols.js';
import { enclosing, topOf, type Outline } from './outline.js';
import { placeholderItems } from './placeholders.js';

function moduleItem(m: ModuleDoc, kind: CompletionItemKind, sortText?: string): CompletionItem {
  const item: CompletionItem = {
    label: m.name,
    kind,
    detail: m.syntax,
    documentation: { kind: MarkupKind.Markdown, value: moduleMarkdown(m) },
  };
  if (sortText !== undefined) item.sortText = sortText;
  return item;
}

function directiveItems(): CompletionItem[] {
  const c = catalog();
  const items = c.directives.map((m) =>
    moduleItem(m, CompletionItemKind.Keyword, `${String(c.orderOf(m.name)).padStart(3, '0')}${m.name}`),
  );
  items.push({
    label: 'import',
    kind: CompletionItemKind.Keyword,
    detail: 'import <pattern> [<args...>]',
    sortText: '999import',
  });
  return items;
}

/** The words of the cursor's line up to the cursor, and the word being typed. */
function lineWords(text: string, offset: number): { words: string[]; current: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(start, offset);
  const words = before.trimStart().split(/[ \t]+/);
  return { words, current: words[words.length - 1] ?? '' };
}

/** Completion items at `offset`. */
export function complete(o: Outline, text: string, offset: number): CompletionItem[] {
  const { words, current } = lineWords(text, offset);
  const brace = current.lastIndexOf('{');
  if (brace >= 0 && !current.includes('}', brace)) {
    return placeholderItems();
  }
  const block = enclosing(o, offset);
  const ctx = blockContext(block);
  const c = catalog();
  if (words.length <= 1) {
    switch (ctx.kind) {
      case 'global':
        return c.globalOptions.map((m) => moduleItem(m, CompletionItemKind.Property));
      case 'directives':
        return directiveItems();
      case 'matchers':
        return c.matchers.map((m) => moduleItem(m, CompletionItemKind.Function));
      case 'layer4':
        return [
          ...c.layer4.map((m) => moduleItem(m, CompletionItemKind.Module)),
          { label: 'route', kind: CompletionItemKind.Keyword },
        ];
      case 'module':
        return (ctx.module.subdirectives ?? []).map((s) => ({
          label: s.name,
          kind: CompletionItemKind.Property,
          detail: s.syntax,
          documentation: { kind: MarkupKind.Markdown, value: moduleMarkdown(s) },
        }));
      case 'names':
        return ctx.modules.map((m) => moduleItem(m, CompletionItemKind.Module));
      case 'top':
        return [{ label: 'import', kind: CompletionItemKind.Keyword }];
      default:
        return [];
    }
  }
  const first = words[0] ?? '';
  const kinds = ARGUMENT_KINDS[first];
  if (kinds && (words.length === 2 || first === 'encode')) {
    return c.all.filter((m) => kinds.includes(m.kind)).map((m) => moduleItem(m, CompletionItemKind.Module));
  }
  if (first === 'import' && words.length === 2) {
    return definitions(o)
      .filter((d) => d.kind === 'snippet')
      .map((d) => ({ label: d.name, kind: CompletionItemKind.Function }));
  }
  if (first === 'invoke' && (words.length === 2 || (words.length === 3 && words[1]!.startsWith('@')))) {
    return definitions(o)
      .filter((d) => d.kind === 'route')
      .map((d) => ({ label: d.name, kind: CompletionItemKind.Function }));
  }
  if (ctx.kind === 'layer4' && (first === 'route' || first.startsWith('@'))) {
    return c.layer4.map((m) => moduleItem(m, CompletionItemKind.Module));
  }
  if (first.startsWith('@') && words.length === 2)
    return c.matchers.map((m) => moduleItem(m, CompletionItemKind.Function));
  if (ctx.kind === 'directives' && words.length === 2 && c.byKind(['handler-directive', 'directive'], first)) {
    const top = block ? topOf(block) : undefined;
    const named = definitions(o).filter((d) => d.kind === 'matcher' && (!top || d.top === top));
    return [
      ...named.map((d) => ({ label: `@${d.name}`, kind: CompletionItemKind.Variable, filterText: `@${d.name}` })),
      { label: '*', kind: CompletionItemKind.Operator, detail: 'every request' },
    ];
  }
  return [];
}
