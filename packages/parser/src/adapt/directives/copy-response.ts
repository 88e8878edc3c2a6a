/** @module copy-response: `copy_response [status]` (inside handle_response): writes the proxied response to the client. */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { atoi, weakString } from './common.js';

/** Registers `copy_response`. */
export function register(): void {
  registerHandlerDirective('copy_response', (h) => {
    h.next();
    const out: JsonObject = {};
    const args = h.remainingArgs();
    if (args.length === 1) {
      const n = atoi(args[0]!);
      if (typeof n === 'number' && n > 0) return moduleObject('handler', 'copy_response', { status_code: weakString(args[0]!) });
    }
    while (h.nextBlock(0)) {
      if (h.val() !== 'status') throw h.err(`unrecognized subdirective '${h.val()}'`);
      if (!h.nextArg()) throw h.argErr();
      out.status_code = weakString(h.val());
    }
    return moduleObject('handler', 'copy_response', out);
  });
}
