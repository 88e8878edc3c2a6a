/**
 * @module lint/rules/unreachable-directive: a directive sorted (or, in a `route` block, written) after a handler
 * that answers every request of that route (`respond`, `redir`, `error`, `abort`, `reverse_proxy`, `file_server`
 * without `pass_thru`, each with no matcher or `*`), so it can never run.
 */
import { allLines, blockLines, matchesAll, siteBlocks, type Line } from '../lines.js';
import { directivePositions, positionOf } from '../order.js';
import type { Finding, LintRule } from '../types.js';

const TERMINAL = new Set(['respond', 'redir', 'error', 'abort', 'reverse_proxy', 'file_server']);
/** Blocks whose directives are sorted like a site's. */
const SORTED_BLOCKS = new Set(['handle', 'handle_path', 'handle_errors']);

function name(line: Line): string {
  return line.words[0]?.text ?? '';
}

function isTerminal(line: Line): boolean {
  const n = name(line);
  if (!TERMINAL.has(n) || !matchesAll(line)) return false;
  // `file_server { pass_thru }` hands on what it does not find.
  return n !== 'file_server' || ![...allLines(line.blocks.flat())].some((l) => name(l) === 'pass_thru');
}

function isDirective(line: Line): boolean {
  const n = name(line);
  return n !== '' && !n.startsWith('@') && line.words[0]!.quote === '';
}

/** Where the terminal handler is: `line:col`, with its file when that is not the dead directive's. */
function where(by: Line, line: Line): string {
  const t = by.words[0]!;
  const file = t.range.file === line.words[0]!.range.file ? '' : `${t.range.file}:`;
  // One file imported twice puts both at one place: say which import brought the first in.
  const via =
    t.range.offset === line.words[0]!.range.offset && t.imports.length > 0
      ? ` via ${t.imports[t.imports.length - 1]}`
      : '';
  return `${file}${t.range.line}:${t.range.column}${via}`;
}

function unreachable(line: Line, by: Line): Finding {
  return {
    range: line.words[0]!.range,
    message: `${name(line)} can never run: ${name(by)} at ${where(by, line)} answers every request first`,
  };
}

/** In a `route` block, directives run as written: everything after the first terminal one is dead. */
function checkSourceOrder(lines: readonly Line[], out: Finding[]): void {
  const dirs = lines.filter(isDirective);
  const t = dirs.findIndex(isTerminal);
  if (t < 0) return;
  for (const l of dirs.slice(t + 1)) out.push(unreachable(l, dirs[t]!));
}

/** In a site or `handle` block, directives run in the handler order (matcher-less ones of a name last). */
function checkSorted(lines: readonly Line[], positions: ReadonlyMap<string, number>, out: Finding[]): void {
  const dirs = lines.filter(isDirective);
  let first: { line: Line; pos: number; index: number } | undefined;
  dirs.forEach((line, index) => {
    const pos = positionOf(positions, name(line));
    if (pos === undefined || !isTerminal(line)) return;
    if (!first || pos < first.pos) first = { line, pos, index };
  });
  if (!first) return;
  const t = first;
  dirs.forEach((line, index) => {
    const pos = positionOf(positions, name(line));
    if (pos === undefined || line === t.line) return;
    // Same place in the order: Caddy puts the ones with a path matcher first, so only a later catch-all is dead.
    if (pos > t.pos || (pos === t.pos && index > t.index && matchesAll(line))) out.push(unreachable(line, t.line));
  });
}

function walk(lines: readonly Line[], sorted: boolean, positions: ReadonlyMap<string, number>, out: Finding[]): void {
  if (sorted) checkSorted(lines, positions, out);
  else checkSourceOrder(lines, out);
  for (const l of lines) {
    const n = name(l);
    if (!SORTED_BLOCKS.has(n) && n !== 'route') continue;
    for (const b of l.blocks) walk(b, n !== 'route', positions, out);
  }
}

export const unreachableDirective: LintRule = {
  code: 'unreachable-directive',
  defaultSeverity: 'warning',
  doc: 'A directive can never run: a handler before it in the same route answers every request.',
  check(ast) {
    const positions = directivePositions(ast.blocks);
    const out: Finding[] = [];
    for (const block of siteBlocks(ast.blocks)) walk(blockLines(block), true, positions, out);
    return out;
  },
};
