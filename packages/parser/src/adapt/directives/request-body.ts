/** @module request-body: the `request_body` handler directive (max_size, read/write timeouts, set). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { parseDuration } from '../duration.js';
import { moduleObject, type JsonObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { parseBytes } from './common.js';

/** Go's `time.ParseDuration` (no `d` unit), via Caddy's parser. */
function goDuration(d: Dispenser, what: string, s: string): number {
  const v = /d/.test(s) ? `time: unknown unit "d" in duration ${JSON.stringify(s)}` : parseDuration(s);
  if (typeof v === 'string') throw d.err(`parsing ${what}: ${v}`);
  return v;
}

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
        case 'read_timeout':
        case 'write_timeout':
          out[sub] = goDuration(h, sub, one());
          break;
        case 'set':
          out.set = one();
          break;
        default:
          throw h.err(`unrecognized request_body subdirective '${sub}'`);
      }
    }
    return moduleObject('handler', 'request_body', out);
  });
}
