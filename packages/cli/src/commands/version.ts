/** @module commands/version: `proxy version`: prints the package version. */
import type { Command } from 'commander';
import { version } from '../build-meta.js';

export { version };

/** Registers `version`. */
export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Prints the version')
    .action(() => {
      process.stdout.write(`v${version()}\n`);
    });
}
