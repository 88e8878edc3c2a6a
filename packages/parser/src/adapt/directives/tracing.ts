/** @module tracing: the `tracing` handler directive (OpenTelemetry span name and attributes). */
import type { TracingHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import type { ModuleOfKind } from '../module.js';

export const TracingDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'tracing',
  syntax: 'tracing [<matcher>] { span <name>; span_attributes { <key> <value> } }',
  doc: 'Traces requests with OpenTelemetry.',
  subdirectives: [
    { name: 'span', syntax: 'span <name>', doc: 'The span name.' },
    { name: 'span_attributes', syntax: 'span_attributes { <key> <value>... }', doc: 'Attributes added to the span.' },
  ],
  parse: (h) => {
    h.next();
    if (h.nextArg()) throw h.argErr();
    const out: StructFields<TracingHandler> = {};
    while (h.nextBlock(0)) {
      if (h.val() === 'span') {
        if (!h.nextArg()) throw h.argErr();
        out.span = h.val();
        if (h.nextArg()) throw h.argErr();
      } else if (h.val() === 'span_attributes') {
        const attrs: Record<string, string> = out.span_attributes ?? {};
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
    return moduleObject<TracingHandler>('handler', 'tracing', out);
  },
};
