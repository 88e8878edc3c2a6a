/** @module push: the `push` handler directive (HTTP/2 server push resources and headers). */
import type { PushHandler, PushResource } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { applyHeaderOp, type HeaderOps } from './header-ops.js';
import type { ModuleOfKind } from '../module.js';

export const PushDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'push',
  syntax: 'push [<matcher>] [<resource>] { [GET|HEAD] <resource>; headers { [+|-]<field> [<value>] } }',
  doc: 'Pushes resources with HTTP/2 server push.',
  subdirectives: [
    {
      name: 'headers',
      syntax: 'headers { [+|-]<field> [<value> [<replacement>]] }',
      doc: 'Headers of the pushed requests.',
    },
  ],
  parse: (h) => {
    h.next();
    const out: StructFields<PushHandler> = {};
    const resources: PushResource[] = [];
    if (h.nextArg()) resources.push({ target: h.val() });
    while (h.nextBlock(0)) {
      switch (h.val()) {
        case 'headers': {
          if (h.nextArg()) throw h.argErr();
          for (const nesting = h.nesting(); h.nextBlock(nesting); ) {
            const args = [h.val(), ...h.remainingArgs()];
            const ops: HeaderOps = (out.headers ??= {});
            if (args.length > 3) throw h.argErr();
            const err = applyHeaderOp(ops, undefined, args[0]!, args[1] ?? '', args[2]);
            if (err) throw h.err(err);
          }
          break;
        }
        case 'GET':
        case 'HEAD': {
          const method = h.val();
          if (!h.nextArg()) throw h.argErr();
          resources.push({ method, target: h.val() });
          break;
        }
        default:
          resources.push({ target: h.val() });
      }
    }
    if (resources.length > 0) out.resources = resources;
    return moduleObject<PushHandler>('handler', 'push', out);
  },
};
