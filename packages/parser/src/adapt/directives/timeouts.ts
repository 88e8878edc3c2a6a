/**
 * @module timeouts: the `timeouts` handler directive of current Caddy (not in 2.6.2; `request_body`'s
 * `read_timeout`/`write_timeout` moved here): per-request read and write deadlines, with optional minimum rates.
 */
import { goParseDuration, type TimeoutsHandler } from '@proxy/contract';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, type StructFields } from '../json.js';
import { atoi, parseBytes } from './common.js';
import type { ModuleOfKind } from '../module.js';

/** A duration as Go's time.ParseDuration reads it (no `d` unit, unlike Caddy's other durations), in nanoseconds. */
function goDuration(h: Dispenser, sub: string): number {
  if (!h.nextArg()) throw h.argErr();
  const v = goParseDuration(h.val());
  if (typeof v === 'string') throw h.err(`parsing ${sub}: ${v}`);
  return Number(v);
}

/** The optional minimum rate (bytes per second) after a timeout, and nothing more on the line. */
function minRate(h: Dispenser, sub: string): number | undefined {
  if (!h.nextArg()) return undefined;
  const n = atoi(h.val());
  if (typeof n === 'string') throw h.err(`parsing ${sub} min rate: ${n}`);
  if (n < 0) throw h.err(`${sub} min rate must not be negative`);
  if (h.nextArg()) throw h.argErr();
  return n;
}

export const TimeoutsDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'timeouts',
  syntax:
    'timeouts [<matcher>] { read_timeout <duration> [<min_rate>]; write_timeout <duration> [<min_rate>]; max_write_chunk <size> }',
  doc: 'Sets how long reading the request body and writing the response may take for matching requests.',
  subdirectives: [
    {
      name: 'read_timeout',
      syntax: 'read_timeout <duration> [<min_rate>]',
      doc: 'How long reading the request body may take; a min rate in bytes per second extends it.',
    },
    {
      name: 'write_timeout',
      syntax: 'write_timeout <duration> [<min_rate>]',
      doc: 'How long writing the response may take; a min rate in bytes per second extends it.',
    },
    {
      name: 'max_write_chunk',
      syntax: 'max_write_chunk <size>',
      doc: 'The largest piece a response write is split into, each with its share of the write deadline.',
    },
  ],
  parse: (h) => {
    h.next();
    if (h.nextArg()) throw h.argErr();
    const out: StructFields<TimeoutsHandler> = {};
    while (h.nextBlock(0)) {
      const sub = h.val();
      switch (sub) {
        case 'read_timeout':
          out.read_timeout = goDuration(h, sub);
          out.read_min_rate = minRate(h, sub);
          break;
        case 'write_timeout':
          out.write_timeout = goDuration(h, sub);
          out.write_min_rate = minRate(h, sub);
          break;
        case 'max_write_chunk': {
          if (!h.nextArg()) throw h.argErr();
          const n = parseBytes(h.val());
          if (typeof n === 'string') throw h.err(`parsing max_write_chunk: ${n}`);
          if (h.nextArg()) throw h.argErr();
          out.max_write_chunk = n;
          break;
        }
        default:
          throw h.err(`unrecognized timeouts subdirective '${sub}'`);
      }
    }
    for (const k of ['read_min_rate', 'write_min_rate'] as const) if (out[k] === undefined) delete out[k];
    return moduleObject<TimeoutsHandler>('handler', 'timeouts', out);
  },
};
