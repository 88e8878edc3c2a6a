/**
 * @module diagnostics: parser, adapter and runtime-validation problems as LSP diagnostics on the open file.
 * A problem in an imported file is shown on the `import` line that brought the file in; a runtime validation
 * problem (named by JSON path) on the site block that made that server.
 */
import { resolve } from 'node:path';
import type { Diagnostic as ParserDiagnostic, Token } from '@proxy/parser';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import { siteAddress } from './addresses.js';
import type { Entry, Outline } from './outline.js';
import type { Analysis } from './workspace.js';

export const SOURCE = 'proxy';

/** A parser range (1-based, end exclusive) as an LSP range (0-based). */
export function toRange(d: { line: number; column: number; endLine: number; endColumn: number }): Range {
  return {
    start: { line: Math.max(0, d.line - 1), character: Math.max(0, d.column - 1) },
    end: { line: Math.max(0, d.endLine - 1), character: Math.max(0, d.endColumn - 1) },
  };
}

const FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The range of the `import` that names `file` (or any import, for globs and nested imports). */
function importRange(o: Outline, dir: string, file: string): Range {
  const imports = o.entries.filter((e) => e.tokens[0]?.text === 'import' && e.tokens[1]);
  const exact = imports.find((e) => resolve(dir, e.tokens[1]!.text) === file) ?? imports[0];
  if (!exact) return FIRST_LINE;
  const first = exact.tokens[0]!.range;
  const last = exact.tokens[exact.tokens.length - 1]!.range;
  return toRange({ line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn });
}

/** The message without Caddy's leading `FILE:LINE: `: the range already says where. */
function withoutPosition(d: ParserDiagnostic): string {
  const m = /^(.*?):\d+: /.exec(d.message);
  return m && m[1] === d.file ? d.message.slice(m[0].length) : d.message;
}

function convert(a: Analysis, dir: string, d: ParserDiagnostic, path = a.path): Diagnostic {
  if (d.file === path) return ownDiagnostic(d);
  const out: Diagnostic = {
    range: importRange(a.outline, dir, d.file),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    message: `${d.file}:${d.line}:${d.column}: ${withoutPosition(d)}`,
    source: SOURCE,
  };
  if (d.code) out.code = d.code;
  if (d.stage) out.data = { stage: d.stage };
  return out;
}

/** A problem in the file itself, at its own range. */
export function ownDiagnostic(d: ParserDiagnostic): Diagnostic {
  const out: Diagnostic = {
    range: toRange(d),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    message: withoutPosition(d),
    source: SOURCE,
  };
  if (d.code) out.code = d.code;
  if (d.stage) out.data = { stage: d.stage };
  return out;
}

/** Whether a published diagnostic comes from the stage that runs only on a file without other errors. */
export function isAssembly(d: Diagnostic): boolean {
  return (d.data as { stage?: string } | undefined)?.stage === 'assembly';
}

/** Whether a published diagnostic says the file's blocks are laid out wrong (nothing else was checked). */
export function isStructure(d: Diagnostic): boolean {
  return (d.data as { stage?: string } | undefined)?.stage === 'structure';
}

/**
 * Where a runtime validation problem goes: the site block whose port the server in the JSON path listens on
 * (the first site otherwise), and in it the first token naming the path's last field (`...match[0].path_regexp`
 * -> the `path_regexp` word), else the site's first address.
 */
function validationRange(a: Analysis, path: string): Range {
  const sites = a.outline.tops.filter((e) => e.top === 'site' && e.tokens.length > 0);
  const m = /^apps\.http\.servers\.([^.[]+)/.exec(path);
  const servers = (
    a.result.config?.['apps'] as { http?: { servers?: Record<string, { listen?: string[] }> } } | undefined
  )?.http?.servers;
  const listen = m && servers ? (servers[m[1]!]?.listen ?? []) : [];
  const site =
    sites.find((e) =>
      e.tokens.some((t) => listen.some((l) => l.endsWith(`:${siteAddress(t.text.replace(/,$/, '')).port}`))),
    ) ?? sites[0];
  if (!site) return FIRST_LINE;
  const field = /([A-Za-z_][\w-]*)(?:\[\d+\])*$/.exec(path)?.[1];
  const inside = (e: Entry): Token | undefined =>
    e.tokens.find((t) => t.text === field) ?? e.children.map(inside).find(Boolean);
  const t = (field && inside(site)) || site.tokens[0]!;
  return toRange(t.range);
}

/** The diagnostics to publish for an open file. */
export function diagnosticsOf(a: Analysis, dir: string): Diagnostic[] {
  const out = [...a.result.errors, ...a.result.warnings].map((d) => convert(a, dir, d));
  for (const v of a.invalid) {
    out.push({
      range: validationRange(a, v.path),
      severity: DiagnosticSeverity.Error,
      source: SOURCE,
      code: 'validation-error',
      // Validation needs the assembled config: it is as conditional as the assembly stage.
      data: { stage: 'assembly' },
      message: v.path ? `${v.path}: ${v.message}` : v.message,
    });
  }
  return out;
}

/**
 * The diagnostics of a file other open files import (a fragment, often not a whole Caddyfile): the problems
 * their adaptations found in it, rather than what adapting it alone would say.
 */
export function fragmentDiagnostics(path: string, importers: Analysis[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const a of importers) {
    for (const d of [...a.result.errors, ...a.result.warnings]) {
      if (d.file !== path) continue;
      const key = `${d.line}:${d.column}:${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(convert(a, '', d, path));
    }
  }
  return out;
}
