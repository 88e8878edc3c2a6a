/** @module adapt: `adapt(text, options)`: Caddyfile text -> Caddy JSON config, with errors and warnings. */
import type { Diagnostic } from '../diagnostics.js';
import { parse, type ParseOptions } from '../caddyfile/parser.js';
import type { Config } from '@proxy/contract';
import type { CaddyfileAST } from '../caddyfile/ast.js';
import type { Token } from '../caddyfile/token.js';
import { stringifyConfig } from './json.js';
import { AdaptContext } from './core/context.js';
import { messageOf, tokenOf } from './core/errors.js';
import { errorDetail } from './core/error-codes.js';
import { setup } from './core/setup.js';
import { nodeFileSystem, withFileSystem } from '../caddyfile/file-system.js';

/** What `adapt` gives: the config (absent on errors), its compact JSON, and diagnostics. */
export interface AdaptResult {
  config?: Config;
  json?: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/**
 * Adapts a Caddyfile to Caddy's JSON config. Never throws. Reports every failing global option, site and
 * directive (each is skipped and the rest adapted); the first error is the one Caddy stops at.
 */
export function adapt(text: string, options: ParseOptions = {}): AdaptResult {
  const { ast, diagnostics } = parse(text, options);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (errors.length > 0) return { errors, warnings };
  const ctx = new AdaptContext();
  const config = withFileSystem(options.fs ?? nodeFileSystem(), () => setup(ast, ctx));
  if (config && ctx.errors.length === 0) {
    return { config, json: stringifyConfig(config), errors, warnings: [...warnings, ...ctx.warnings] };
  }
  for (const { error, at } of ctx.errors) errors.push(diagnosticOf(error, tokenOf(error) ?? at, ast));
  return { errors, warnings: [...warnings, ...ctx.warnings] };
}

function diagnosticOf(e: Error, t: Token | undefined, ast: CaddyfileAST): Diagnostic {
  const r = t?.range ?? ast.blocks[0]?.range;
  const { code, message, directive } = errorDetail(e);
  const internal = code === 'internal-error';
  return {
    severity: 'error',
    code,
    message,
    file: r?.file ?? ast.file,
    line: r?.line ?? 1,
    column: r?.column ?? 1,
    endLine: r?.endLine ?? 1,
    endColumn: r?.endColumn ?? 1,
    ...(directive ? { directive } : {}),
    caddyMessage: internal ? `internal error: ${messageOf(e)}` : messageOf(e),
  };
}
