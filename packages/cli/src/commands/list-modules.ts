/**
 * @module commands/list-modules: `proxy list-modules`: the runtime's module IDs, grouped as Caddy groups them:
 * standard (Caddy's own, github.com/caddyserver/caddy/v2) and non-standard (plugins: caddy-l4's layer4 modules).
 * Modules this runtime knows but refuses (modules/unsupported.ts and the like) are listed with the reason.
 */
import type { Command } from 'commander';
import { builtinModules, type AnyModule } from '@proxy/runtime';
import { version } from '../build-meta.js';

/** Options of `proxy list-modules` (Caddy's flags). */
export interface ListModulesOptions {
  versions?: boolean;
  packages?: boolean;
  skipStandard?: boolean;
}

const STANDARD_PACKAGE = 'github.com/caddyserver/caddy/v2';
const LAYER4_PACKAGE = 'github.com/mholt/caddy-l4';

/** The Go package Caddy would name for a module ID. */
export function packageOf(id: string): string {
  return id === 'layer4' || id.startsWith('layer4.') || id === 'caddy.listeners.layer4'
    ? LAYER4_PACKAGE
    : STANDARD_PACKAGE;
}

/** The lines `caddy list-modules` prints, for these modules. */
export function listModules(opts: ListModulesOptions, modules: readonly AnyModule[] = builtinModules): string {
  const byId = new Map<string, AnyModule>();
  for (const m of modules) byId.set(m.id, m); // a later entry replaces an unsupported one, as in the registry
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const standard = sorted.filter((m) => packageOf(m.id) === STANDARD_PACKAGE);
  const nonstandard = sorted.filter((m) => packageOf(m.id) !== STANDARD_PACKAGE);
  const line = (m: AnyModule) => {
    let s = m.id;
    if (opts.versions) s += ` v${version()}`;
    if (opts.packages) s += ` ${packageOf(m.id)}`;
    if (m.unsupported) s += ` [unsupported: ${m.unsupported}]`;
    return `${s}\n`;
  };
  let out = '';
  if (!opts.skipStandard) {
    out += standard.map(line).join('');
    out += `\n  Standard modules: ${standard.length}\n`;
  }
  if (nonstandard.length > 0) {
    if (standard.length > 0 && !opts.skipStandard) out += '\n';
    out += nonstandard.map(line).join('');
  }
  out += `\n  Non-standard modules: ${nonstandard.length}\n`;
  out += '\n  Unknown modules: 0\n';
  const refused = sorted.filter((m) => m.unsupported).length;
  if (refused > 0) out += `\n  Refused (known but not implemented; configs using them fail to load): ${refused}\n`;
  return out;
}

/** Adds `list-modules`. */
export function registerListModules(program: Command): void {
  program
    .command('list-modules')
    .description('Lists the installed modules (those marked [unsupported] are refused when a config uses them)')
    .option('--packages', 'print the package of each module')
    .option('--versions', 'print the version of each module')
    .option('-s, --skip-standard', 'skip the modules of the standard distribution')
    .action((opts: ListModulesOptions) => {
      process.stdout.write(listModules(opts));
    });
}
