/** @module log-append: `log_append [<]KEY VALUE`: adds a field to the request's access log entry. */
import type { LogAppendHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { omitZero } from './common.js';
import type { ModuleOfKind } from '../module.js';

export const LogAppendDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'log_append',
  syntax: 'log_append [<matcher>] [<]<field> <value>',
  doc: 'Adds a field to the access log entry (< adds it early, before the handlers run).',
  parse: (h) => {
    h.next();
    if (!h.nextArg()) throw h.argErr();
    let key = h.val();
    // A `<` prefix appends the field early, before the rest of the chain runs.
    const early = key.startsWith('<');
    if (early) key = key.slice(1);
    if (!h.nextArg()) throw h.argErr();
    const out: StructFields<LogAppendHandler> = { key, value: h.val() };
    if (early) out.early = true;
    omitZero(out, 'key', 'value');
    return moduleObject<LogAppendHandler>('handler', 'log_append', out);
  },
};
