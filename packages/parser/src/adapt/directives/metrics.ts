/** @module metrics: the `metrics` handler directive (serves Prometheus metrics). */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';

/** Registers `metrics`. */
export function register(): void {
  registerHandlerDirective('metrics', (h) => {
    h.next();
    if (h.remainingArgs().length > 0) throw h.argErr();
    const out: JsonObject = {};
    while (h.nextBlock(0)) {
      if (h.val() !== 'disable_openmetrics') throw h.err(`unrecognized subdirective ${JSON.stringify(h.val())}`);
      out.disable_openmetrics = true;
    }
    return moduleObject('handler', 'metrics', out);
  });
}
