/**
 * @module commands/lint: `proxy lint [files...]`: parse, adapt and runtime-validation diagnostics plus the lint
 * rules, as text, JSON or SARIF; exit code 1 when any has severity error.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  lintFile,
  lintRules,
  locateConfigPath,
  sortDiagnostics,
  type LintDiagnostic,
  type LintResult,
  type RuleSeverity,
} from '@proxy/parser';
import { formatLint, LINT_FORMATS, type LintFormat } from '../lint-output.js';

/** Options of `proxy lint`. */
export interface LintCommandOptions {
  format?: string;
  rule?: string[];
  lintConfig?: string;
  validate?: boolean;
}

const SEVERITIES: readonly RuleSeverity[] = ['off', 'warning', 'error'];
/** Codes of the stages before the rules, which `--rule` may also set. */
const STAGE_CODES = [
  'lexing-error',
  'parsing-error',
  'import-error',
  'adapt-error',
  'adapt-warning',
  'format-warning',
  'validation-error',
  'read-error',
  'unknown-directive',
  'unknown-subdirective',
  'unknown-global-option',
  'unknown-module',
  'bad-argument',
  'syntax-error',
  'unexpected-eof',
  'internal-error',
];

/** A usage mistake: reported on stderr with exit code 2 (so it is not taken for a lint result). */
class UsageError extends Error {}

function parseSeverity(code: string, value: unknown, where: string): RuleSeverity {
  if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value)) {
    throw new UsageError(`${where}: severity of ${code} must be off, warning or error`);
  }
  return value as RuleSeverity;
}

/** The severities from a lint config file (`{ "rules": { "CODE": "off|warning|error" } }`), then `--rule` flags. */
function ruleSeverities(opts: LintCommandOptions, warn: (s: string) => void): Record<string, RuleSeverity> {
  const rules: Record<string, RuleSeverity> = {};
  if (opts.lintConfig) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.lintConfig, 'utf8'));
    } catch (e) {
      throw new UsageError(`${opts.lintConfig}: ${(e as Error).message}`);
    }
    const table =
      typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['rules'] : undefined;
    if (typeof table !== 'object' || table === null || Array.isArray(table))
      throw new UsageError(`${opts.lintConfig}: expected {"rules": {"CODE": "off|warning|error"}}`);
    for (const [code, v] of Object.entries(table)) rules[code] = parseSeverity(code, v, opts.lintConfig);
  }
  for (const spec of opts.rule ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--rule ${spec}: expected CODE=off|warning|error`);
    const code = spec.slice(0, eq);
    rules[code] = parseSeverity(code, spec.slice(eq + 1), `--rule ${spec}`);
  }
  const known = new Set([...lintRules.map((r) => r.code), ...STAGE_CODES]);
  for (const code of Object.keys(rules)) if (!known.has(code)) warn(`proxy lint: warning: unknown rule ${code}\n`);
  return rules;
}

/** Runtime validation of an adapted config, each problem placed at the site it comes from. */
async function validationDiagnostics(result: LintResult, severity: RuleSeverity): Promise<LintDiagnostic[]> {
  const config = result.config;
  if (!config || severity === 'off') return [];
  // The runtime takes a while to load: only when there is a config to check.
  const { validateConfig } = await import('@proxy/runtime');
  const errors = await validateConfig(config);
  return errors.map((e) => {
    const at = locateConfigPath(result.ast, config, e.path);
    return { ...at, severity, code: 'validation-error', message: e.path ? `${e.path}: ${e.message}` : e.message };
  });
}

/** Lints the files; returns the exit code (1 when any diagnostic is an error, 2 on a usage mistake). */
export async function lintCommand(
  files: string[],
  opts: LintCommandOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  try {
    const format = (opts.format ?? 'text') as LintFormat;
    if (!LINT_FORMATS.includes(format)) throw new UsageError(`--format ${format}: use text, json or sarif`);
    const rules = ruleSeverities(opts, err);
    const all: LintDiagnostic[] = [];
    for (const file of files.length > 0 ? files : ['Caddyfile']) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const message = `reading config file: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`;
        all.push({
          severity: rules['read-error'] === 'warning' ? 'warning' : 'error',
          code: 'read-error',
          message,
          file,
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
        });
        continue;
      }
      const result = lintFile(text, { filename: file, dir: dirname(resolve(file)), rules });
      const validation =
        opts.validate === false ? [] : await validationDiagnostics(result, rules['validation-error'] ?? 'error');
      all.push(...sortDiagnostics([...result.diagnostics, ...validation], file));
    }
    out(formatLint(all, format));
    return all.some((d) => d.severity === 'error') ? 1 : 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`proxy lint: ${e.message}\n`);
    return 2;
  }
}

/** Registers `lint` on the program. */
export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('Checks Caddyfiles: syntax, adapt and validation errors, plus rules a careful reviewer applies')
    .argument('[files...]', 'the Caddyfiles (default: ./Caddyfile)')
    .option('-f, --format <format>', 'text, json or sarif', 'text')
    .option(
      '-r, --rule <CODE=SEVERITY>',
      'set a rule to off, warning or error (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--lint-config <file>', 'JSON file {"rules": {"CODE": "off|warning|error"}}; --rule flags win')
    .option('--no-validate', 'skip the runtime validation of the adapted config')
    .action(async (files: string[], opts: LintCommandOptions) => {
      process.exitCode = await lintCommand(files, opts);
    });
}
