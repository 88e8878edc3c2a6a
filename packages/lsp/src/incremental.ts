/**
 * @module incremental: diagnostics for an edit inside one site block without adapting the whole file again.
 *
 * Adapting a 2,000-site file takes longer than a keystroke should wait, but an edit inside a site block changes
 * only what that block adapts to (given the global options and snippets, which it can read but which did not
 * change). So the block is adapted alone, in a copy of the file where every other site block is blanked out
 * (newlines and columns kept, so positions are the file's own), and its diagnostics replace the block's previous
 * ones; the others move with the lines the edit added or removed. What only the whole file can say (two sites
 * claiming one address, a certificate policy shared by several sites) comes with the whole-file adaptation that
 * follows once typing pauses.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { dirname } from 'node:path';
import { adapt, isCloseBrace, isOpenBrace, tokenize } from '@proxy/parser';
import { isAssembly, isStructure, ownDiagnostic } from './diagnostics.js';
import type { Outline, TopKind } from './outline.js';

/** A top-level entry's extent: from its first token to the end of its `}` (or of its line, without a block). */
export interface TopSpan {
  kind: TopKind;
  start: number;
  /** The offset of its `{` and of its `}`, for a block. */
  open?: number;
  close?: number;
  end: number;
}

/** The top-level entries of an outline as spans. */
export function spansOf(o: Outline, text: string): TopSpan[] {
  return o.tops.map((e) => {
    const first = e.tokens[0];
    const last = e.tokens[e.tokens.length - 1];
    const start = first?.range.offset ?? e.block?.open ?? 0;
    const kind = e.top ?? 'global';
    if (!e.block) return { kind, start, end: last ? last.range.offset + rawLength(text, last.range.offset) : start };
    return { kind, start, open: e.block.open, close: e.block.close, end: Math.min(text.length, e.block.close + 1) };
  });
}

/** The length of the token at `offset` as written (up to the next whitespace). */
function rawLength(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !/\s/.test(text[i]!)) i++;
  return i - offset;
}

/** One change between two texts: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new one. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The smallest single change that turns `before` into `after`. */
export function changeBetween(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  return { start: p, oldEnd: before.length - s, newEnd: after.length - s };
}

/**
 * The index of the site block whose body holds the change, when the change cannot have changed how the rest of
 * the file reads; undefined otherwise. The text before the block is the same, so the lexer starts the block in
 * the same state; if the block's `{` still closes at its `}` (moved by the change) and nothing in it is
 * substituted from the environment, the lexer leaves it in the same state too, and the rest reads as before.
 */
export function editedSite(spans: TopSpan[], c: TextChange, before: string, after: string): number | undefined {
  // A top-level line without a block other than an import is a site without braces, whose body is the rest of
  // the file: then blocks are no islands.
  if (spans.some((s) => s.open === undefined && s.kind !== 'import')) return undefined;
  const found = spans.findIndex(
    (s) => s.open !== undefined && s.close !== undefined && s.open < c.start && c.oldEnd <= s.close,
  );
  const s = spans[found];
  // An unclosed block runs to the end of the text: it is no island.
  if (s?.kind !== 'site' || s.close! >= before.length) return undefined;
  const close = s.close! + c.newEnd - c.oldEnd;
  const block = after.slice(s.start, close + 1);
  if (block.includes('{$')) return undefined;
  let depth = 0;
  const { tokens } = tokenize(block, '');
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isOpenBrace(t)) {
      if (depth === 0 && t.range.offset !== s.open! - s.start) return undefined;
      depth++;
    } else if (isCloseBrace(t) && --depth === 0) {
      return k === tokens.length - 1 && t.range.offset === close - s.start ? found : undefined;
    }
  }
  return undefined;
}

/** The spans after a change inside span `edited`: that one grows or shrinks, the later ones move. */
function shiftSpans(spans: TopSpan[], c: TextChange, edited: number): TopSpan[] {
  const delta = c.newEnd - c.oldEnd;
  return spans.map((s, i) => {
    if (i < edited) return s;
    if (i === edited) return { ...s, close: s.close! + delta, end: s.end + delta };
    return {
      ...s,
      start: s.start + delta,
      end: s.end + delta,
      ...(s.open !== undefined ? { open: s.open + delta } : {}),
      ...(s.close !== undefined ? { close: s.close + delta } : {}),
    };
  });
}

/**
 * The text with every site block but `keep` blanked: each blanked span leaves its newlines, and spaces for the
 * characters after its last newline, so what stays keeps its line and column.
 */
export function isolate(text: string, spans: TopSpan[], keep: number): string {
  const parts: string[] = [];
  let at = 0;
  spans.forEach((s, i) => {
    if (i === keep || s.kind !== 'site') return;
    parts.push(text.slice(at, s.start));
    const gone = text.slice(s.start, s.end);
    const lastBreak = gone.lastIndexOf('\n');
    parts.push('\n'.repeat(countLines(gone)), ' '.repeat(gone.length - lastBreak - 1));
    at = s.end;
  });
  parts.push(text.slice(at));
  return parts.join('');
}

/** The line breaks in a text. */
export function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The 0-based line of an offset. */
function lineAt(text: string, offset: number): number {
  return countLines(text.slice(0, offset));
}

/** Diagnostics moved by `lineDelta` lines. */
function shifted(ds: Diagnostic[], lineDelta: number): Diagnostic[] {
  if (lineDelta === 0) return ds;
  return ds.map((d) => ({
    ...d,
    range: {
      start: { line: d.range.start.line + lineDelta, character: d.range.start.character },
      end: { line: d.range.end.line + lineDelta, character: d.range.end.character },
    },
  }));
}

/** What was last published for a file, and for which text: the base an edit inside one block updates. */
export interface Published {
  text: string;
  spans: TopSpan[];
  diagnostics: Diagnostic[];
  /** Whether the text parsed, so the diagnostics include the semantic ones (see `AdaptResult.parsed`). */
  parsed: boolean;
}

/**
 * The diagnostics of `text` (the file at `path`) from those `last` published for an earlier text, when the change
 * between them lies inside one site block; undefined otherwise (the whole file must be checked).
 */
export function blockDiagnostics(
  last: Published,
  text: string,
  path: string,
  readFile: (path: string) => string,
): Published | undefined {
  // A file that does not parse, or whose blocks are laid out wrong, is checked for that only: an edit elsewhere
  // that fixes it brings back every block's errors, and one that breaks it drops them all. Either way the whole
  // file is needed.
  if (!last.parsed || last.diagnostics.some(isStructure)) return undefined;
  const c = changeBetween(last.text, text);
  const i = editedSite(last.spans, c, last.text, text);
  if (i === undefined) return undefined;
  const spans = shiftSpans(last.spans, c, i);
  // A problem inside a snippet or named route, or in another file, shows where it is written but comes from the
  // sites that use it: whether it still shows depends on every block, so the whole file is needed.
  const shared = (ss: TopSpan[], t: string) =>
    ss
      .filter((s) => s.kind === 'snippet' || s.kind === 'named-route')
      .map((s) => [lineAt(t, s.start), lineAt(t, s.end)] as const);
  const inShared = (line: number, ranges: (readonly [number, number])[]) =>
    ranges.some(([a, b]) => line >= a && line <= b);
  const sharedBefore = shared(last.spans, last.text);
  if (last.diagnostics.some((d) => inShared(d.range.start.line, sharedBefore))) return undefined;

  const first = lineAt(last.text, last.spans[i]!.start);
  const lastBefore = lineAt(last.text, last.spans[i]!.close!);
  const lineDelta = lineAt(text, c.newEnd) - lineAt(last.text, c.oldEnd);
  const lastAfter = lastBefore + lineDelta;
  const before = last.diagnostics.filter((d) => d.range.start.line < first);
  const after = shifted(
    last.diagnostics.filter((d) => d.range.start.line > lastBefore),
    lineDelta,
  );
  const outside = [...before, ...after];
  const isError = (d: Diagnostic) => d.severity === DiagnosticSeverity.Error;

  // The config is assembled from all sites only when no option or site failed; what that stage finds (marked
  // `assembly`) comes and goes with errors anywhere. Which of the three cases below holds decides what stays.
  const siteErrorsOutside = outside.some((d) => isError(d) && !isAssembly(d));
  const r = adapt(isolate(text, spans, i), {
    filename: path,
    dir: dirname(path),
    readFile,
    // Errors elsewhere stop the whole file before assembly: so must the block alone.
    sitesOnly: siteErrorsOutside,
  });
  if (!r.parsed || r.errors.some((d) => d.stage === 'structure')) return undefined;
  const found = [...r.errors, ...r.warnings];
  const sharedAfter = shared(spans, text);
  if (found.some((d) => d.file !== path || inShared(d.line - 1, sharedAfter))) return undefined;
  const fresh = found.filter((d) => d.line - 1 >= first && d.line - 1 <= lastAfter).map(ownDiagnostic);
  const blockFailed = r.errors.some((d) => d.stage !== 'assembly');
  let kept: Diagnostic[];
  if (siteErrorsOutside) {
    // The file still fails before assembly, as it did.
    kept = outside;
  } else if (blockFailed) {
    // This block now fails before assembly: what assembly said about the others goes.
    kept = outside.filter((d) => !isAssembly(d));
  } else {
    // Assembly runs over every site: known for the others only if it ran last time and failed nowhere else
    // (it stops at its first error, so another site's error might now come first or go).
    const assembledBefore = !last.diagnostics.some((d) => isError(d) && !isAssembly(d));
    if (!assembledBefore || outside.some((d) => isError(d) && isAssembly(d))) return undefined;
    kept = outside;
  }
  return { text, spans, diagnostics: [...kept, ...fresh], parsed: true };
}
