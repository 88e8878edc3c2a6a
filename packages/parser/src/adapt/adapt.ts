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
  /**
   * False when the text did not parse (syntax or import errors): then `errors` holds only those, and nothing was
   * adapted, so no semantic error was looked for.
   */
  parsed: boolean;
}

/** How to adapt: where files come from (see `ParseOptions`), and how far to go. */
export interface AdaptOptions extends ParseOptions {
  /**
   * Check the global options and every site, but stop before assembling the config (no `config`, and none of
   * the problems marked `stage: 'assembly'`): what an editor needs to re-check one block.
   */
  sitesOnly?: boolean;
}

/**
 * Adapts a Caddyfile to Caddy's JSON config. Never throws. Reports every failing global option, site and
 * directive (each is skipped and the rest adapted); the first error is the one Caddy stops at.
 */
export function adapt(text: string, options: AdaptOptions = {}): AdaptResult {
  const { ast, diagnostics } = parse(text, options);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (errors.length > 0) return { errors, warnings, parsed: false };
  const ctx = new AdaptContext();
  const config = withFileSystem(options.fs ?? nodeFileSystem(), () => setup(ast, ctx, options.sitesOnly));
  const from = ctx.assemblyFrom;
  const adaptWarnings = ctx.warnings.map((w, i) =>
    from && i >= from.warnings ? { ...w, stage: 'assembly' as const } : w,
  );
  if (config && ctx.errors.length === 0)
    return withJson({ config, errors, warnings: [...warnings, ...adaptWarnings], parsed: true });
  ctx.errors.forEach(({ error, at }, i) => {
    const d = diagnosticOf(error, tokenOf(error) ?? at, ast);
    if (ctx.structureFailed) errors.push({ ...d, stage: 'structure' });
    else errors.push(from && i >= from.errors ? { ...d, stage: 'assembly' } : d);
  });
  return { errors, warnings: [...warnings, ...adaptWarnings], parsed: true };
}

/**
 * The result with `json` encoded when first read: an editor adapts on every pause in typing and rarely wants the
 * text (on a big file, encoding it was a tenth of the time).
 */
function withJson(r: AdaptResult & { config: Config }): AdaptResult {
  let json: string | undefined;
  return Object.defineProperty(r, 'json', {
    enumerable: true,
    get: () => (json ??= stringifyConfig(r.config)),
  });
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
