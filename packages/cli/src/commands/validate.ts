/** @module commands/validate: `proxy validate`: checks a config without serving it. */
import type { Command } from 'commander';
import { formatValidationError, validateConfig } from '@proxy/runtime';
import { adapterFor, loadConfigFile, loadEnvFile, resolveConfigPath } from './config-file.js';
import { reportError } from './report.js';

/** Options of `proxy validate`. */
export interface ValidateOptions {
  config?: string;
  adapter?: string;
  envfile?: string;
}

/** Validates; prints "Valid configuration" or every error (JSON path: message). Resolves with the exit code. */
export async function validateCommand(
  opts: ValidateOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  try {
    if (opts.envfile) await loadEnvFile(opts.envfile);
    const file = resolveConfigPath(opts.config);
    const json = await loadConfigFile(file, adapterFor(file, opts.adapter));
    const errors = await validateConfig(json);
    if (errors.length) {
      err(`${errors.map(formatValidationError).join('\n')}\n`);
      return 1;
    }
    out('Valid configuration\n');
    return 0;
  } catch (e) {
    return reportError(e, err);
  }
}

/** Adds `validate` to the program. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check a config: modules, fields, types and provisioning, without binding ports')
    .option('-c, --config <file>', 'config file (default: ./Caddyfile)')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json')
    .option('--envfile <file>', 'load environment variables (KEY=VALUE lines) first')
    .action(async (opts: ValidateOptions) => {
      process.exitCode = await validateCommand(opts);
    });
}
