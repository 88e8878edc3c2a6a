/**
 * @module symbols: the names a Caddyfile defines and uses (snippets and `import`, named matchers `@x` and their
 * uses in the same site, named routes and `invoke`), for go to definition, references, rename and completion;
 * and the document outline (global options, sites, snippets, named routes).
 */
import type { Token } from '@proxy/parser';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { toRange } from './diagnostics.js';
import { entryOf, tokenAt, topOf, type Entry, type Outline } from './outline.js';

export type NameKind = 'snippet' | 'matcher' | 'route';

/** A place a name is written: the offsets of the name alone (without `(`, `)`, `&` or `@`). */
export interface Occurrence {
  kind: NameKind;
  name: string;
  token: Token;
  start: number;
  end: number;
  definition: boolean;
  /** For named matchers: the site they belong to. */
  top?: Entry;
}

function at(kind: NameKind, t: Token, skip: number, trim: number, definition: boolean, top?: Entry): Occurrence {
  const start = t.range.offset + skip;
  const end = t.range.endOffset - trim;
  const o: Occurrence = { kind, name: t.text.slice(skip, t.text.length - trim), token: t, start, end, definition };
  if (top) o.top = top;
  return o;
}

/** Every definition and use of a name in the file. */
export function occurrences(o: Outline): Occurrence[] {
  return o.entries.flatMap(occurrencesIn);
}

/** The definitions and uses of names in one entry. */
function occurrencesIn(e: Entry): Occurrence[] {
  const out: Occurrence[] = [];
  const [first, second] = e.tokens;
  if (first?.quote !== '') return out;
  if (e.depth === 0 && e.top === 'snippet') out.push(at('snippet', first, 1, 1, true));
  else if (e.depth === 0 && e.top === 'named-route') out.push(at('route', first, 2, 1, true));
  if (first.text === 'import' && second) out.push(at('snippet', second, 0, 0, false));
  // `invoke [<matcher>] <route-name>`
  const routeName = second?.text.startsWith('@') ? e.tokens[2] : second;
  if (first.text === 'invoke' && routeName) out.push(at('route', routeName, 0, 0, false));
  const top = topOf(e);
  e.tokens.forEach((t, i) => {
    if (t.quote !== '' || !t.text.startsWith('@') || t.text.length < 2) return;
    // `@name ...` opening a line defines it; anywhere else it is used.
    out.push(at('matcher', t, 1, 0, i === 0 && e.depth > 0, top));
  });
  return out;
}

/** Every definition in the file. */
export function definitions(o: Outline): Occurrence[] {
  return occurrences(o).filter((x) => x.definition);
}

/** The occurrence under the cursor: looked for in the cursor's entry only (hover asks on every move). */
export function occurrenceAt(o: Outline, offset: number): Occurrence | undefined {
  const t = tokenAt(o, offset);
  const e = t && entryOf(o, t);
  return e && occurrencesIn(e).find((x) => x.token.range.offset <= offset && offset <= x.token.range.endOffset);
}

/** All occurrences of the same name as `x` (a named matcher only within its site). */
export function sameName(o: Outline, x: Occurrence): Occurrence[] {
  return occurrences(o).filter(
    (y) => y.kind === x.kind && y.name === x.name && (x.kind !== 'matcher' || y.top === x.top),
  );
}

function entryRange(e: Entry, text: string): { start: number; end: number } {
  const start = e.tokens[0]?.range.offset ?? e.block?.open ?? 0;
  const last = e.tokens[e.tokens.length - 1]?.range.endOffset ?? start;
  const end = e.block ? Math.min(text.length, e.block.close + 1) : last;
  return { start, end: Math.max(end, last) };
}

/** The file's outline for the editor: global options, sites, snippets and named routes with their directives. */
export function documentSymbols(
  o: Outline,
  text: string,
  position: (offset: number) => { line: number; character: number },
): DocumentSymbol[] {
  const symbol = (e: Entry, name: string, kind: SymbolKind, withChildren: boolean): DocumentSymbol => {
    const r = entryRange(e, text);
    const first = e.tokens[0];
    const sel = first ? toRange(first.range) : { start: position(r.start), end: position(r.start) };
    const s: DocumentSymbol = {
      name,
      kind,
      range: { start: position(r.start), end: position(r.end) },
      selectionRange: sel,
    };
    if (withChildren)
      s.children = e.children
        .filter((c) => c.tokens.length > 0)
        .map((c) => symbol(c, c.tokens[0]!.text, SymbolKind.Property, true));
    if (e.tokens.length > 1)
      s.detail = e.tokens
        .slice(1)
        .map((t) => t.text)
        .join(' ');
    return s;
  };
  return o.tops.map((e) => {
    switch (e.top) {
      case 'global':
        return symbol(e, 'global options', SymbolKind.Namespace, true);
      case 'snippet':
        return symbol(e, e.tokens[0]!.text, SymbolKind.Function, true);
      case 'named-route':
        return symbol(e, e.tokens[0]!.text, SymbolKind.Function, true);
      case 'import':
        return symbol(e, `import ${e.tokens[1]?.text ?? ''}`, SymbolKind.File, false);
      default: {
        const s = symbol(e, e.tokens.map((t) => t.text).join(', ') || 'site', SymbolKind.Module, true);
        delete s.detail;
        return s;
      }
    }
  });
}
