/**
 * @module cli: the `proxy` command: registers each subcommand (one file per command in commands/) and runs the
 * one named on the command line. main.ts (the bin) and sea.ts (the single executable) call it.
 */
import { Command } from 'commander';
import { registerAdapt } from './commands/adapt.js';
import { registerBuildInfo } from './commands/build-info.js';
import { registerCompletion } from './commands/completion.js';
import { registerFmtCommand } from './commands/fmt.js';
import { registerHashPassword } from './commands/hash-password.js';
import { registerLint } from './commands/lint.js';
import { registerLsp } from './commands/lsp.js';
import { registerVersion } from './commands/version.js';

/** Parses the arguments and runs the command; sets process.exitCode on failure. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = new Command();
  program.name('proxy').description('A Caddy-compatible edge server').showHelpAfterError();
  registerAdapt(program);
  registerFmtCommand(program);
  registerLint(program);
  registerLsp(program);
  registerHashPassword(program);
  registerBuildInfo(program);
  // The runtime (TLS, x509, pino...) takes longer to load than adapting a Caddyfile: only load it for its commands.
  if (!['adapt', 'fmt', 'lint', 'lsp', 'version', 'hash-password', 'build-info'].includes(argv[2] ?? '')) {
    const { registerRunCommands } = await import('./commands/index-runtime.js');
    registerRunCommands(program);
  }
  registerVersion(program);
  registerCompletion(program);

  await program.parseAsync(argv).catch((e: unknown) => {
    process.stderr.write(`proxy: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
