/** @module tracing: the `tracing` handler directive (OpenTelemetry span name and attributes). */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';

/** Registers `tracing`. */
export function register(): void {
  registerHandlerDirective('tracing', (h) => {
    h.next();
    if (h.nextArg()) throw h.argErr();
    const out: JsonObject = {};
    while (h.nextBlock(0)) {
      if (h.val() === 'span') {
        if (!h.nextArg()) throw h.argErr();
        out.span = h.val();
        if (h.nextArg()) throw h.argErr();
      } else if (h.val() === 'span_attributes') {
        const attrs = (out.span_attributes ?? {}) as JsonObject;
        while (h.nextBlock(1)) {
          const key = h.val();
          if (!h.nextArg()) throw h.argErr();
          attrs[key] = h.val();
          if (h.nextArg()) throw h.argErr();
        }
        // An empty map is left out (omitempty).
        if (Object.keys(attrs).length > 0) out.span_attributes = attrs;
      } else {
        throw h.argErr();
      }
    }
    if (out.span === '') delete out.span;
    return moduleObject('handler', 'tracing', out);
  });
}
