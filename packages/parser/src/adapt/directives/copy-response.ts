/** @module copy-response: `copy_response [status]` (inside handle_response): writes the proxied response to the client. */
import type { CopyResponseHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { atoi, weakString } from './common.js';
import type { ModuleOfKind } from '../module.js';

export const CopyResponseDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'copy_response',
  syntax: 'copy_response [<matcher>] [<status>] { status <status> }',
  doc: "Writes the upstream response in reverse_proxy's handle_response.",
  subdirectives: [{ name: 'status', syntax: 'status <status>', doc: 'Changes the status code.' }],
  parse: (h) => {
    h.next();
    const out: StructFields<CopyResponseHandler> = {};
    const args = h.remainingArgs();
    if (args.length === 1) {
      const n = atoi(args[0]!);
      if (typeof n === 'number' && n > 0)
        return moduleObject<CopyResponseHandler>('handler', 'copy_response', { status_code: weakString(args[0]!) });
    }
    while (h.nextBlock(0)) {
      if (h.val() !== 'status') throw h.err(`unrecognized subdirective '${h.val()}'`);
      if (!h.nextArg()) throw h.argErr();
      out.status_code = weakString(h.val());
    }
    return moduleObject<CopyResponseHandler>('handler', 'copy_response', out);
  },
};
