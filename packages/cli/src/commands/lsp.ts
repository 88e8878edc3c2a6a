/** @module commands/lsp: `proxy lsp [--stdio]`: the Caddyfile language server on standard input and output. */
import type { Command } from 'commander';

/** Adds `lsp` to the program. */
export function registerLsp(program: Command): void {
  program
    .command('lsp')
    .description('Run the Caddyfile language server (LSP) on stdin/stdout')
    .option('--stdio', 'talk LSP over stdin/stdout (the default and only transport; editors pass it)')
    // Editors add their own flags (`--clientProcessId=N`); they are not ours to refuse.
    .allowUnknownOption()
    .allowExcessArguments(true)
    .action(async () => {
      const { runStdio } = await import('@proxy/lsp');
      // Validation runs in the checking worker; the runtime is loaded here only when there is no worker.
      const validate = async (config: unknown) => (await import('@proxy/runtime')).validateConfig(config);
      runStdio({ validate, workerScript: workerScript() });
    });
}

/** The checking worker's entry next to this module, when there is one (a single-file build has none). */
function workerScript(): URL | undefined {
  try {
    return new URL('./lsp-worker.js', import.meta.url);
  } catch {
    return undefined;
  }
}
