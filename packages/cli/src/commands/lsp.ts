/** @module commands/lsp: `proxy lsp [--stdio]`: the Caddyfile language server on standard input and output. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';

/**
 * The server's young generation, in MiB. An editor keeps the server for hours; V8 grows the young generation to
 * 16 MiB semi-spaces under the bursts of each keystroke and keeps those pages: on a 2,000-site file that was a
 * quarter of the server's memory. A thread can be given a smaller one (a process only by a flag at start).
 */
const YOUNG_GENERATION_MB = 6;

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
      const thread = serverThread();
      if (thread && existsSync(thread)) return runInThread(thread);
      (await import('./lsp-server.js')).serveLsp();
    });
}

/** The server thread's entry next to this module, when there is one (a single-file build has none). */
function serverThread(): URL | undefined {
  try {
    return new URL('./lsp-thread.js', import.meta.url);
  } catch {
    return undefined;
  }
}

/** Runs the server in a worker thread, relaying stdin to it (its stdout and stderr are the process's). */
async function runInThread(script: URL): Promise<void> {
  // Loaded here: every other command starts without worker_threads.
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(script, { stdin: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  process.stdin.pipe(w.stdin!);
  // The server ends its thread on the client's `exit` (or when its input ends): so does the process.
  w.on('exit', (code) => process.exit(code));
  w.on('error', (e) => {
    process.stderr.write(`proxy lsp: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
