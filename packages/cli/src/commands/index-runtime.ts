/** @module commands/index-runtime: the runtime commands (run, validate, reload, stop) for main.ts to add. */
import type { Command } from 'commander';
import { registerReload } from './reload.js';
import { registerRun } from './run.js';
import { registerStop } from './stop.js';
import { registerValidate } from './validate.js';

export { runCommand, withLogLevel, type RunOptions } from './run.js';
export { validateCommand, type ValidateOptions } from './validate.js';
export { reloadCommand, type ReloadOptions } from './reload.js';
export { stopCommand, type StopOptions } from './stop.js';
export { loadConfigFile, adapterFor, adaptCaddyfile, loadEnvFile, type AdapterName } from './config-file.js';

/** Registers `run`, `validate`, `reload` and `stop` on the program. */
export function registerRunCommands(program: Command): void {
  registerRun(program);
  registerValidate(program);
  registerReload(program);
  registerStop(program);
}
