/**
 * @module commands/lsp-server: the language server itself, as `proxy lsp` runs it: in a worker thread whose
 * young generation is kept small (see lsp.ts), or on the main thread when there is no such script. Its
 * standard input and output are the process's, relayed.
 */
import { runStdio } from '@proxy/lsp';

/** The checking worker's entry next to this module, when there is one (a single-file build has none). */
function checkWorker(): URL | undefined {
  try {
    return new URL('./lsp-worker.js', import.meta.url);
  } catch {
    return undefined;
  }
}

/** Serves LSP on stdin/stdout; validation runs in the checking worker, the runtime loads here only without it. */
export function serveLsp(): void {
  const validate = async (config: unknown) => (await import('@proxy/runtime')).validateConfig(config);
  runStdio({ validate, workerScript: checkWorker() });
}
