/** @module adapt: `adapt(text, options)`: Caddyfile text -> Caddy JSON config, with errors and warnings. */
import type { Diagnostic } from '../diagnostics.js';
import { parse, type ParseOptions } from '../caddyfile/parser.js';
import type { Config } from '@proxy/contract';
import { stringifyConfig } from './json.js';
import { AdaptContext } from './core/context.js';
import { messageOf, tokenOf } from './core/errors.js';
import { setup } from './core/setup.js';

/** What `adapt` gives: the config (absent on errors), its compact JSON, and diagnostics. */
export interface AdaptResult {
  config?: Config;
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
  const ctx = new AdaptContext();
  try {
    const config = setup(ast, ctx);
    return { config, json: stringifyConfig(config), errors, warnings: [...warnings, ...ctx.warnings] };
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const t = tokenOf(e);
    const r = t?.range ?? ast.blocks[0]?.range;
    const file = r?.file ?? ast.file;
    errors.push({
      severity: 'error', code: 'adapt-error', message: messageOf(e), file, line: r?.line ?? 1, column: r?.column ?? 1,
      endLine: r?.endLine ?? 1, endColumn: r?.endColumn ?? 1,
    });
    // A programming error, not a problem with the input: say so rather than pass it off as Caddy's wording.
    if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) {
      errors[errors.length - 1]!.message = `internal error: ${messageOf(e)}`;
    }
    return { errors, warnings: [...warnings, ...ctx.warnings] };
  }
}
