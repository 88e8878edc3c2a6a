/** @module copy-response-headers: `copy_response_headers { include | exclude }` (inside handle_response). */
import type { CopyResponseHeadersHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { appendField } from './common.js';
import type { ModuleOfKind } from '../module.js';

export const CopyResponseHeadersDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'copy_response_headers',
  syntax: 'copy_response_headers [<matcher>] { include <fields...>; exclude <fields...> }',
  doc: "Copies headers of the upstream response in reverse_proxy's handle_response.",
  subdirectives: [
    { name: 'include', syntax: 'include <fields...>', doc: 'Only copies these fields.' },
    { name: 'exclude', syntax: 'exclude <fields...>', doc: 'Copies every field but these.' },
  ],
  parse: (h) => {
    h.next();
    if (h.remainingArgs().length > 0) throw h.argErr();
    const out: StructFields<CopyResponseHeadersHandler> = {};
    while (h.nextBlock(0)) {
      const sub = h.val();
      if (sub !== 'include' && sub !== 'exclude') throw h.err(`unrecognized subdirective '${sub}'`);
      appendField(out, sub, h.remainingArgs());
    }
    return moduleObject<CopyResponseHeadersHandler>('handler', 'copy_response_headers', out);
  },
};
