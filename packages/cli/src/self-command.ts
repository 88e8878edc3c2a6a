/**
 * @module self-command: how to run this CLI again in a child process: the same Node and script, or, in a single
 * executable (pnpm build:binary), the executable itself.
 */
import type Sea from 'node:sea';

/** Whether this process is the single executable. */
export function isSingleExecutable(): boolean {
  const sea = process.getBuiltinModule?.('node:sea') as typeof Sea | undefined;
  try {
    return sea?.isSea() ?? false;
  } catch {
    return false;
  }
}

/** The command and the arguments that come before the subcommand. */
export function selfCommand(): { command: string; args: string[] } {
  if (isSingleExecutable()) return { command: process.execPath, args: [] };
  return { command: process.execPath, args: [...process.execArgv, process.argv[1] ?? ''] };
}
