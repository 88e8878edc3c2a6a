/** @module log-skip: `log_skip` (and the deprecated `skip_log`): sets the `log_skip` var so the access log skips the request. */
import type { Helper } from '../helper.js';
import type { VarsHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import type { ModuleOfKind } from '../module.js';

/** `log_skip` and its deprecated name `skip_log` (which warns). */
function parseLogSkip(h: Helper): VarsHandler {
  h.next();
  if (h.val() === 'skip_log') h.warn("the 'skip_log' directive is deprecated, please use 'log_skip' instead!");
  if (h.nextArg()) throw h.argErr();
  return moduleObject<VarsHandler>('handler', 'vars', { log_skip: true });
}

export const LogSkipDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'log_skip',
  syntax: 'log_skip [<matcher>]',
  doc: 'Skips access logging of matching requests.',
  parse: parseLogSkip,
};

export const SkipLogDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'skip_log',
  syntax: 'skip_log [<matcher>]',
  doc: 'Deprecated alias of log_skip.',
  parse: parseLogSkip,
};
