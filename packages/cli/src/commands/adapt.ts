/** @module commands/adapt: `proxy adapt --config FILE [--pretty] [--validate]`: prints the JSON Caddy would. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { adapt, formatDiagnostic, stringifyConfig } from '@proxy/parser';
import { tuneForOneShot } from '../one-shot.js';
import { validateConfig } from '../validate-config.js';

interface AdaptOptions {
  config: string;
  adapter?: string;
  /** Traefik's static configuration (with `--adapter traefik`). */
  static?: string;
  pretty?: boolean;
  validate?: boolean;
}

/**
 * Adapts a Caddyfile (or Traefik files); returns the exit code. Output goes to the given writers. The Traefik
 * adapter (YAML, TOML) is loaded only when asked for: `proxy adapt` on a Caddyfile starts without it.
 */
export async function runAdapt(
  opts: AdaptOptions,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const adapter = (opts.adapter ?? 'caddyfile').toLowerCase();
  if (adapter !== 'caddyfile' && adapter !== 'traefik') {
    err(`unknown adapter "${opts.adapter}" (use caddyfile or traefik)\n`);
    return 1;
  }
  if (opts.static !== undefined && adapter !== 'traefik') {
    err('--static needs --adapter traefik\n');
    return 1;
  }
  if (adapter === 'traefik')
    return adaptTraefik(opts, out, err, (await import('./traefik-files.js')).adaptTraefikFiles);
  let text: string;
  try {
    text = readFileSync(opts.config, 'utf8');
  } catch (e) {
    err(
      `${opts.config}: reading config file: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}\n`,
    );
    return 1;
  }
  const result = adapt(text, { filename: opts.config, dir: dirname(resolve(opts.config)) });
  for (const w of result.warnings) err(formatDiagnostic(w) + '\n');
  if (result.errors.length > 0 || !result.config) {
    for (const e of result.errors) err(formatDiagnostic(e) + '\n');
    return 1;
  }
  if (opts.validate) {
    const problems = validateConfig(result.config);
    if (problems.length > 0) {
      for (const p of problems) err(`${opts.config}: validation: ${p}\n`);
      return 1;
    }
  }
  // adapt() already encoded the compact form.
  out(
    (opts.pretty || result.json === undefined
      ? stringifyConfig(result.config, opts.pretty ? { indent: '\t' } : {})
      : result.json) + '\n',
  );
  return 0;
}

/** `--adapter traefik`: Traefik files to JSON. */
function adaptTraefik(
  opts: AdaptOptions,
  out: (s: string) => void,
  err: (s: string) => void,
  adaptTraefikFiles: typeof import('./traefik-files.js').adaptTraefikFiles,
): number {
  const result = adaptTraefikFiles(opts.config, opts.static);
  for (const w of result.warnings) err(`${w}\n`);
  if (!result.config) {
    for (const e of result.errors) err(`${e}\n`);
    return 1;
  }
  if (opts.validate) {
    const problems = validateConfig(result.config);
    if (problems.length > 0) {
      for (const p of problems) err(`${opts.config}: validation: ${p}\n`);
      return 1;
    }
  }
  out(stringifyConfig(result.config, opts.pretty ? { indent: '\t' } : {}) + '\n');
  return 0;
}

/** Registers `adapt`. */
export function registerAdapt(program: Command): void {
  program
    .command('adapt')
    .description('Adapts a Caddyfile (or Traefik files, --adapter traefik) to Caddy JSON and prints it')
    .requiredOption('--config <file>', 'the Caddyfile to adapt (Traefik: a dynamic file or a folder of them)')
    .option('-a, --adapter <name>', 'caddyfile (the default) or traefik')
    .option('--static <file>', "Traefik's static configuration (entry points), with --adapter traefik")
    .option('--pretty', 'indent the JSON with tabs')
    .option('--validate', 'also check that the adapted config is well-formed')
    .action(async (opts: AdaptOptions) => {
      tuneForOneShot();
      process.exitCode = await runAdapt(
        opts,
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
      );
    });
}
