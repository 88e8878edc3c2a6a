/** @module intercept: the `intercept` handler directive (response matchers, replace_status, handle_response). */
import type { InterceptHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { ResponseHandlers } from './response-handlers.js';
import type { ModuleOfKind } from '../module.js';

export const InterceptDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'intercept',
  syntax:
    'intercept [<matcher>] { @<name> <response matcher>; replace_status [@<name>] <code>; handle_response [@<name>] { } }',
  doc: 'Intercepts responses from later handlers to change or handle them.',
  subdirectives: [
    {
      name: 'replace_status',
      syntax: 'replace_status [<response_matcher>] <status>',
      doc: 'Changes the status of matching responses.',
    },
    {
      name: 'handle_response',
      syntax: 'handle_response [<response_matcher>] { <directives...> }',
      doc: 'Handles matching responses with other directives.',
    },
  ],
  parse: (h) => {
    const responses = new ResponseHandlers();
    h.next();
    while (h.nextBlock(0)) {
      if (!responses.tryParse(h)) throw h.err(`unrecognized subdirective ${h.val()}`);
    }
    const out: StructFields<InterceptHandler> = {};
    const list = responses.finalize(h);
    if (list) out.handle_response = list;
    return moduleObject<InterceptHandler>('handler', 'intercept', out);
  },
};
