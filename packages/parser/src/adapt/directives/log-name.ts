/** @module log-name: `log_name NAMES...`: picks the access loggers for matching requests (the `access_logger_names` var). */
import { moduleObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';

/** Registers `log_name`. */
export function register(): void {
  registerHandlerDirective('log_name', (h) => {
    h.next();
    const names = h.remainingArgs();
    // Go encodes the nil slice of a bare `log_name` as null.
    return moduleObject('handler', 'vars', { access_logger_names: names.length > 0 ? names : null });
  });
}
