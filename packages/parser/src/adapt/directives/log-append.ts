/** @module log-append: `log_append [<]KEY VALUE`: adds a field to the request's access log entry. */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { omitZero } from './common.js';

/** Registers `log_append`. */
export function register(): void {
  registerHandlerDirective('log_append', (h) => {
    h.next();
    if (!h.nextArg()) throw h.argErr();
    let key = h.val();
    // A `<` prefix appends the field early, before the rest of the chain runs.
    const early = key.startsWith('<');
    if (early) key = key.slice(1);
    if (!h.nextArg()) throw h.argErr();
    const out: JsonObject = { key, value: h.val() };
    if (early) out.early = true;
    omitZero(out, 'key', 'value');
    return moduleObject('handler', 'log_append', out);
  });
}
