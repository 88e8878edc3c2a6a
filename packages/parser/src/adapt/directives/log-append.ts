/** @module log-append: `log_append KEY VALUE`: adds a field to the request's access log entry. */
import { moduleObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';

/** Registers `log_append`. */
export function register(): void {
  registerHandlerDirective('log_append', (h) => {
    h.next();
    if (!h.nextArg()) throw h.argErr();
    const key = h.val();
    if (!h.nextArg()) throw h.argErr();
    return moduleObject('handler', 'log_append', { key, value: h.val() });
  });
}
