/** @module commands/index-runtime: the commands that load the runtime (run, validate, reload, stop, ...) for main.ts to add. */
import type { Command } from 'commander';
import { registerEnviron } from './environ.js';
import { registerFileServer } from './file-server.js';
import { registerListModules } from './list-modules.js';
import { registerReload } from './reload.js';
import { registerRespond } from './respond.js';
import { registerReverseProxy } from './reverse-proxy.js';
import { registerStart } from './start.js';
import { registerStorage } from './storage.js';
import { registerConfig } from './config.js';
import { registerTrust } from './trust.js';
import { registerRun } from './run.js';
import { registerStop } from './stop.js';
import { registerValidate } from './validate.js';

export { runCommand, withLogLevel, type RunOptions } from './run.js';
export { validateCommand, type ValidateOptions } from './validate.js';
export { reloadCommand, type ReloadOptions } from './reload.js';
export { stopCommand, type StopOptions } from './stop.js';
export { reverseProxyConfig, type ReverseProxyOptions } from './reverse-proxy.js';
export { fileServerConfig, type FileServerOptions } from './file-server.js';
export { respondConfig, statusAndBody, renderBody, type RespondOptions } from './respond.js';
export { listModules } from './list-modules.js';
export { startCommand, type StartOptions } from './start.js';
export { configPush, configRollback, configList, type FleetOptions } from './config.js';
export { storageExport, storageImport, type StorageOptions } from './storage.js';
export { trustCommand, untrustCommand, installRoot, uninstallRoot, type TrustOptions } from './trust.js';
export { loadConfigFile, adapterFor, adaptCaddyfile, loadEnvFile, type AdapterName } from './config-file.js';

/** Registers the runtime's commands on the program. */
export function registerRunCommands(program: Command): void {
  registerRun(program);
  registerStart(program);
  registerValidate(program);
  registerReload(program);
  registerStop(program);
  registerReverseProxy(program);
  registerFileServer(program);
  registerRespond(program);
  registerListModules(program);
  registerEnviron(program);
  registerTrust(program);
  registerStorage(program);
  registerConfig(program);
}
