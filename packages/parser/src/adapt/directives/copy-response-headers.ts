/** @module copy-response-headers: `copy_response_headers { include | exclude }` (inside handle_response). */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { appendField } from './common.js';

/** Registers `copy_response_headers`. */
export function register(): void {
  registerHandlerDirective('copy_response_headers', (h) => {
    h.next();
    if (h.remainingArgs().length > 0) throw h.argErr();
    const out: JsonObject = {};
    while (h.nextBlock(0)) {
      const sub = h.val();
      if (sub !== 'include' && sub !== 'exclude') throw h.err(`unrecognized subdirective '${sub}'`);
      appendField(out, sub, h.remainingArgs());
    }
    return moduleObject('handler', 'copy_response_headers', out);
  });
}
