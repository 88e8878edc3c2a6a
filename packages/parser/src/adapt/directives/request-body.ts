/** @module request-body: the `request_body` handler directive (max_size, set). */
import type { RequestBodyHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { omitZero, parseBytes } from './common.js';
import type { ModuleOfKind } from '../module.js';

export const RequestBodyDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'request_body',
  syntax: 'request_body [<matcher>] { max_size <size>; set <body> }',
  doc: 'Limits or replaces the request body.',
  subdirectives: [
    { name: 'max_size', syntax: 'max_size <size>', doc: 'The largest body allowed (413 above it).' },
    { name: 'set', syntax: 'set <body>', doc: 'Replaces the request body.' },
  ],
  parse: (h) => {
    h.next();
    const out: StructFields<RequestBodyHandler> = {};
    while (h.nextBlock(0)) {
      const sub = h.val();
      const one = (): string => {
        const a = h.allArgs(1);
        if (!a) throw h.argErr();
        return a[0]!;
      };
      switch (sub) {
        case 'max_size': {
          const n = parseBytes(one());
          if (typeof n === 'string') throw h.err(`parsing max_size: ${n}`);
          out.max_size = n;
          break;
        }
        case 'set':
          out.set = one();
          break;
        default:
          throw h.err(`unrecognized request_body subdirective '${sub}'`);
      }
    }
    omitZero(out, 'max_size', 'set');
    return moduleObject<RequestBodyHandler>('handler', 'request_body', out);
  },
};
