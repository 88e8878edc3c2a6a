/** @module directives/vars-like: `root` and `fs`, which set request variables through the `vars` handler. */
import type { Helper } from '../helper.js';
import type { ConfigValue } from '../registry.js';
import type { VarsHandler } from '@proxy/contract';
import type { ModuleOfKind } from '../module.js';

/** `root [matcher] <path>` → vars {root}. */
export function parseRoot(h: Helper): ConfigValue[] {
  h.next();
  const n = h.countRemainingArgs();
  if (n === 0) throw h.err('too few arguments; must have at least a root path');
  if (n > 2) throw h.err('too many arguments; should only be a matcher and a path');
  if (n === 1) {
    if (!h.nextArg()) throw h.argErr();
    h.blockState.set('root', h.val());
    return h.newRoute(undefined, { handler: 'vars', root: h.val() });
  }
  const set = h.extractMatcherSet();
  h.next();
  if (!h.nextArg()) throw h.argErr();
  return h.newRoute(set, { handler: 'vars', root: h.val() });
}

/** `fs [matcher] <name>` → vars {fs}. */
export function parseFs(h: Helper): VarsHandler {
  h.next();
  if (!h.nextArg()) throw h.argErr();
  const name = h.val();
  if (h.nextArg()) throw h.argErr();
  return { fs: name, handler: 'vars' };
}

export const RootDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'root',
  syntax: 'root [<matcher>] <path>',
  doc: 'Sets the site root ({http.vars.root}) for file_server, templates, php_fastcgi...',
  parse: parseRoot,
};

export const FsDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'fs',
  syntax: 'fs [<matcher>] <filesystem_name>',
  doc: 'Sets the file system that file_server and try_files read from.',
  parse: parseFs,
};
