/** @module commands/version: `proxy version`: prints the package version. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

/** The version from the CLI package's package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Registers `version`. */
export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Prints the version')
    .action(() => {
      process.stdout.write(`v${version()}\n`);
    });
}
