/** @module adapt: `adapt(text, options)`: Caddyfile text -> Caddy JSON config, with errors and warnings. */
import type { Diagnostic } from '../diagnostics.js';
import { parse, type ParseOptions } from '../caddyfile/parser.js';
import { stringifyConfig, type JsonObject } from './json.js';

/** What `adapt` gives: the config (absent on errors), its compact JSON, and diagnostics. */
export interface AdaptResult {
  config?: JsonObject;
  json?: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Adapts a Caddyfile to Caddy's JSON config. Never throws. */
export function adapt(text: string, options: ParseOptions = {}): AdaptResult {
  const { ast, diagnostics } = parse(text, options);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (errors.length > 0) return { errors, warnings };
  const first = ast.blocks[0]?.range;
  errors.push({
    severity: 'error', code: 'adapt-error', message: 'adapting to JSON is not supported yet (only parsing is)',
    file: first?.file ?? ast.file, line: first?.line ?? 1, column: first?.column ?? 1,
    endLine: first?.endLine ?? 1, endColumn: first?.endColumn ?? 1,
  });
  void stringifyConfig;
  return { errors, warnings };
}
