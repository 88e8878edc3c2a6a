/** @module lint-output: `proxy lint`'s three formats: text lines, a JSON array, and a SARIF 2.1.0 log. */
import { formatDiagnostic, lintRules, type Diagnostic, type LintDiagnostic } from '@proxy/parser';

/** The output formats of `proxy lint`. */
export const LINT_FORMATS = ['text', 'json', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

/** `file:line:col: severity code: message`, one line each. */
function text(list: readonly LintDiagnostic[]): string {
  return list
    .map((d) => {
      // formatDiagnostic drops a leading `FILE:LINE: ` the message repeats; keep only its message part.
      const { code: _code, ...rest } = d;
      const asDiagnostic: Diagnostic = { ...rest, severity: 'error' };
      const message = formatDiagnostic(asDiagnostic).slice(`${d.file}:${d.line}:${d.column}: `.length);
      return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${message}\n`;
    })
    .join('');
}

function json(list: readonly LintDiagnostic[]): string {
  const rows = list.map((d) => ({
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    severity: d.severity,
    code: d.code,
    message: d.message,
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** A minimal valid SARIF 2.1.0 log: one run, the rules it knows, one result per diagnostic. */
function sarif(list: readonly LintDiagnostic[]): string {
  const rules = lintRules.map((r) => ({
    id: r.code,
    shortDescription: { text: r.doc },
    defaultConfiguration: { level: r.defaultSeverity },
  }));
  const known = new Set(rules.map((r) => r.id));
  // Parse, adapt and validation codes are rules too, so every result's ruleId is described.
  for (const d of list) {
    if (known.has(d.code)) continue;
    known.add(d.code);
    rules.push({
      id: d.code,
      shortDescription: { text: `A ${d.code} found reading, adapting or validating the config.` },
      defaultConfiguration: { level: d.severity },
    });
  }
  const results = list.map((d) => ({
    ruleId: d.code,
    level: d.severity,
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(d.file.replaceAll('\\', '/')) },
          region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
        },
      },
    ],
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'proxy lint', rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The diagnostics in the given format. */
export function formatLint(list: readonly LintDiagnostic[], format: LintFormat): string {
  return format === 'json' ? json(list) : format === 'sarif' ? sarif(list) : text(list);
}
