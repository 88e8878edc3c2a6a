/**
 * @module actions: quick fixes for diagnostics: did-you-mean for an unknown directive, subdirective, global
 * option or matcher, and `basicauth` -> `basic_auth`.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { catalog } from './catalog.js';
import { blockContext } from './context.js';
import { toRange } from './diagnostics.js';
import { entryOf, tokenAt, type Outline } from './outline.js';

/** Levenshtein distance, bounded work: both strings are short names. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest names, best first: within a third of the word's length (at least 2 edits). */
export function suggestions(word: string, names: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  return names
    .map((n) => ({ n, d: distance(word, n) }))
    .filter((x) => x.d <= limit && x.n !== word)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((x) => x.n);
}

/** The names that belong where the token at `offset` is. */
function namesAt(o: Outline, offset: number): string[] {
  const t = tokenAt(o, offset);
  const e = t && entryOf(o, t);
  if (!e || e.tokens[0] !== t) return [];
  const ctx = blockContext(e.parent);
  const c = catalog();
  switch (ctx.kind) {
    case 'directives':
      return c.directives.filter((m) => m.name !== 'basicauth').map((m) => m.name);
    case 'global':
      return c.globalOptions.map((m) => m.name);
    case 'matchers':
      return c.matchers.map((m) => m.name);
    case 'layer4':
      return c.layer4.map((m) => m.name);
    case 'module':
      return (ctx.module.subdirectives ?? []).map((s) => s.name);
    case 'names':
      return ctx.modules.map((m) => m.name);
    default:
      return [];
  }
}

function replace(
  uri: string,
  title: string,
  d: Diagnostic | undefined,
  range: Diagnostic['range'],
  text: string,
  preferred: boolean,
): CodeAction {
  const action: CodeAction = {
    title,
    kind: CodeActionKind.QuickFix,
    edit: { changes: { [uri]: [{ range, newText: text }] } },
  };
  if (d) action.diagnostics = [d];
  if (preferred) action.isPreferred = true;
  return action;
}

/** Quick fixes for the diagnostics the editor sends. */
export function codeActions(
  o: Outline,
  uri: string,
  diagnostics: Diagnostic[],
  offsetAt: (p: Diagnostic['range']['start']) => number,
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const offset = offsetAt(d.range.start);
    const t = tokenAt(o, offset);
    if (!t) continue;
    const range = toRange(t.range);
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    if (t.text === 'basicauth' && /basicauth/.test(message)) {
      out.push(replace(uri, "Replace 'basicauth' with 'basic_auth'", d, range, 'basic_auth', true));
      continue;
    }
    if (!/unrecognized|unknown|not registered/.test(message)) continue;
    suggestions(t.text, namesAt(o, offset)).forEach((name, i) => {
      out.push(replace(uri, `Did you mean '${name}'?`, d, range, name, i === 0));
    });
  }
  return out;
}
