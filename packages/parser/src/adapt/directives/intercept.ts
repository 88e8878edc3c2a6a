/** @module intercept: the `intercept` handler directive (response matchers, replace_status, handle_response). */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { ResponseHandlers } from './response-handlers.js';

/** Registers `intercept`. */
export function register(): void {
  registerHandlerDirective('intercept', (h) => {
    const responses = new ResponseHandlers();
    h.next();
    while (h.nextBlock(0)) {
      if (!responses.tryParse(h)) throw h.err(`unrecognized subdirective ${h.val()}`);
    }
    const out: JsonObject = {};
    const list = responses.finalize(h);
    if (list) out.handle_response = list;
    return moduleObject('handler', 'intercept', out);
  });
}
