/** @module log-skip: `log_skip` (and the deprecated `skip_log`): sets the `log_skip` var so the access log skips the request. */
import { moduleObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';

/** Registers `log_skip` and `skip_log`. */
export function register(): void {
  for (const name of ['log_skip', 'skip_log']) {
    registerHandlerDirective(name, (h) => {
      h.next();
      if (h.val() === 'skip_log') h.warn("the 'skip_log' directive is deprecated, please use 'log_skip' instead!");
      if (h.nextArg()) throw h.argErr();
      return moduleObject('handler', 'vars', { log_skip: true });
    });
  }
}
