/** @module commands/environ: `proxy environ`: the folders and platform, then the environment, as `caddy environ`. */
import { availableParallelism, cpus } from 'node:os';
import type { Command } from 'commander';
import { dataDir } from '@proxy/runtime';
import { version } from '../build-meta.js';
import { autosavePath, configDir, homeDir } from '../paths.js';

/** Go's names for Node's platform and architecture (scripts written for `caddy environ` read these). */
const GOOS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Record<string, string> = { x64: 'amd64', ia32: '386', x32: '386' };

/** The text `caddy environ` prints, with this build's values. */
export function environText(env: NodeJS.ProcessEnv = process.env): string {
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch (e) {
    cwd = `<error: ${(e as Error).message}>`;
  }
  const lines = [
    `caddy.HomeDir=${homeDir(env)}`,
    `caddy.AppDataDir=${dataDir(undefined, env)}`,
    `caddy.AppConfigDir=${configDir(env)}`,
    `caddy.ConfigAutosavePath=${autosavePath(env)}`,
    `caddy.Version=v${version()}`,
    `runtime.GOOS=${GOOS[process.platform] ?? process.platform}`,
    `runtime.GOARCH=${GOARCH[process.arch] ?? process.arch}`,
    'runtime.Compiler=node',
    `runtime.NumCPU=${cpus().length}`,
    `runtime.GOMAXPROCS=${availableParallelism()}`,
    `runtime.Version=node${process.versions.node}`,
    `os.Getwd=${cwd}`,
    '',
    ...Object.entries(env).map(([k, v]) => `${k}=${v ?? ''}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Adds `environ`. */
export function registerEnviron(program: Command): void {
  program
    .command('environ')
    .description('Prints the environment (the folders proxy uses, the platform, then every environment variable)')
    .action(() => {
      process.stdout.write(environText());
    });
}
