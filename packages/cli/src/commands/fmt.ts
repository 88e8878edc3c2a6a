/** @module commands/fmt: `proxy fmt [--overwrite] [--diff] [FILE]`, Caddy's `caddy fmt`. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { format } from '@proxy/parser';
import { lineDiff } from '../line-diff.js';
import { fail } from '../output.js';

/** Registers `fmt` on the program. */
export function registerFmtCommand(program: Command): void {
  program
    .command('fmt')
    .description('Formats a Caddyfile as `caddy fmt` does (to stdout unless --overwrite)')
    .argument('[file]', 'the Caddyfile, or - for standard input', 'Caddyfile')
    .option('-w, --overwrite', 'write the formatted text back to the file')
    .option('-d, --diff', 'print the differences instead of the formatted text')
    .action((file: string, opts: { overwrite?: boolean; diff?: boolean }) => {
      let input: string;
      try {
        input = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (e) {
        return fail(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const output = format(input);
      if (opts.overwrite && file !== '-') {
        try {
          writeFileSync(file, output);
        } catch (e) {
          return fail(`${file}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        return;
      }
      if (opts.diff) {
        process.stdout.write(lineDiff(input.split('\n'), output.split('\n')).join('\n') + '\n');
        return;
      }
      process.stdout.write(output);
    });
}
