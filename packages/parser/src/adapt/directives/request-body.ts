/** @module request-body: the `request_body` handler directive (max_size, set). */
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { omitZero, parseBytes } from './common.js';

/** Registers `request_body`. */
export function register(): void {
  registerHandlerDirective('request_body', (h) => {
    h.next();
    const out: JsonObject = {};
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
    return moduleObject('handler', 'request_body', out);
  });
}
