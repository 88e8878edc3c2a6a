/** @module log-name: `log_name NAMES...`: picks the access loggers for matching requests (the `access_logger_names` var). */
import type { VarsHandler } from '@proxy/contract';
import { moduleObject } from '../json.js';
import type { ModuleOfKind } from '../module.js';

export const LogNameDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'log_name',
  syntax: 'log_name [<matcher>] <logger_names...>',
  doc: 'Chooses which access loggers record matching requests.',
  parse: (h) => {
    h.next();
    const names = h.remainingArgs();
    // Go encodes the nil slice of a bare `log_name` as null.
    return moduleObject<VarsHandler>('handler', 'vars', { access_logger_names: names.length > 0 ? names : null });
  },
};
