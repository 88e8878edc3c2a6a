/**
 * @module options/filesystem: the `filesystem <name> <module> [...]` global option of current Caddy, which names a
 * file system (a `caddy.fs.*` module) for `fs` and `file_server fs`, in the `caddy.filesystems` app. Caddy has no
 * standard `caddy.fs.*` module (they are plugins), and neither has this build: naming one is Caddy's
 * "module not registered" error.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { FilesystemsApp } from '@proxy/contract';
import type { ModuleOfKind } from '../module.js';

function parseFilesystem(d: Dispenser, _existing: unknown): FilesystemsApp {
  d.next();
  if (!d.nextArg()) throw d.argErr();
  if (!d.nextArg()) throw d.argErr();
  const id = `caddy.fs.${d.val()}`;
  throw d.err(`getting module named '${id}': module not registered: ${id}`);
}

export const FilesystemOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'filesystem',
  syntax: 'filesystem <name> <module> [...]',
  doc: 'Names a file system (a caddy.fs module; all are plugins) for fs and file_server fs to read from.',
  parse: parseFilesystem,
};
