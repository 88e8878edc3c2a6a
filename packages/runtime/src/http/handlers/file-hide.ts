/** @module http/handlers/file-hide: file_server's `hide` list (Caddy's fileHidden), compiled at load time. */
import * as nodePath from 'node:path';
import { compileTemplate, type Resolver } from '../../util/template.js';
import { globToRegExp } from '../matchers/path.js';

/** Says whether a file system path (made absolute) is hidden. */
export type HideCheck = (filename: string) => boolean;

interface Entry {
  name: boolean;
  re: RegExp;
  prefix: string;
}

/**
 * One hide entry: without a separator it is a glob matched against every path component ("bar" hides
 * "/bar" and "/foo/bar/baz", not "/barstool"); with one, it is an absolute path that hides itself and
 * everything under it, or a glob matched against the whole path.
 */
function entry(h: string): Entry {
  const name = !h.includes(nodePath.sep);
  const p = name ? h : nodePath.resolve(h);
  return { name, re: globToRegExp(p), prefix: p };
}

function hiddenBy(abs: string, e: Entry): boolean {
  if (e.name) {
    if (abs.split(nodePath.sep).some((part) => e.re.test(part))) return true;
  } else if (abs.startsWith(e.prefix) && abs.slice(e.prefix.length).startsWith(nodePath.sep)) return true;
  return e.re.test(abs);
}

/** Compiles the list; entries with placeholders are rendered per request. */
export function compileHide(hide: readonly string[], env: NodeJS.ProcessEnv): (res: Resolver) => HideCheck {
  const fixed: Entry[] = [];
  const dynamic = hide
    .map((h) => compileTemplate(h, env))
    .filter((t) => {
      if (!t.constant) return true;
      fixed.push(entry(t.render(() => undefined)));
      return false;
    });
  const check =
    (entries: Entry[]): HideCheck =>
    (filename) => {
      if (entries.length === 0) return false;
      const abs = nodePath.resolve(filename);
      return entries.some((e) => hiddenBy(abs, e));
    };
  const fixedCheck = check(fixed);
  if (dynamic.length === 0) return () => fixedCheck;
  return (res) =>
    check([
      ...fixed,
      ...dynamic
        .map((t) => t.render(res))
        .filter((h) => h !== '')
        .map(entry),
    ]);
}
