/** @module commands/build-info: `proxy build-info`: what the CLI was built from, like `caddy build-info`. */
import type { Command } from 'commander';
import { buildInfo } from '../build-meta.js';

/** The lines: the Node version, the main package, then every package in the build. */
export function buildInfoText(): string {
  const info = buildInfo();
  const lines = [
    `node\t${process.version}`,
    `path\t${info.main.name}`,
    `mod\t${info.main.name}\t${info.main.version}`,
    ...info.deps.map((d) => `dep\t${d.name}\t${d.version}`),
    `build\tplatform=${process.platform}`,
    `build\tarch=${process.arch}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Adds `build-info`. */
export function registerBuildInfo(program: Command): void {
  program
    .command('build-info')
    .description('Prints the Node version and the versions of the packages this build is made of')
    .action(() => {
      process.stdout.write(buildInfoText());
    });
}
