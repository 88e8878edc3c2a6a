/** @module layer4/handlers/throttle: the `throttle` handler, which limits read rates and adds latency. */
import { struct } from '../../json.js';
import { handler, type Layer4HandlerFields } from '../registry.js';
import {
  consumeName,
  durationArg,
  intArg,
  noArgs,
  noNestedBlock,
  OnceOptions,
  parseGoFloat,
  singleArg,
} from '../syntax.js';

/**
 * `throttle` or a block of `read_bytes_per_second <float>`, `read_burst_size <int>`,
 * `total_read_bytes_per_second <float>`, `total_read_burst_size <int>` and `latency <duration>`, each once.
 */
export const HandleThrottle = handler(
  'throttle',
  {
    syntax:
      'throttle { latency <duration>; read_burst_size <int>; read_bytes_per_second <float>; total_read_burst_size <int>; total_read_bytes_per_second <float> }',
    doc: 'Throttles reads from the connection (per connection and in total) and adds latency.',
    subdirectives: [
      { name: 'latency', syntax: 'latency <duration>', doc: 'Delay before the connection is read.' },
      {
        name: 'read_burst_size',
        syntax: 'read_burst_size <int>',
        doc: 'Bytes per connection that may be read at once.',
      },
      { name: 'read_bytes_per_second', syntax: 'read_bytes_per_second <float>', doc: 'Read rate per connection.' },
      {
        name: 'total_read_burst_size',
        syntax: 'total_read_burst_size <int>',
        doc: 'Bytes that all connections may read at once.',
      },
      {
        name: 'total_read_bytes_per_second',
        syntax: 'total_read_bytes_per_second <float>',
        doc: 'Read rate of all connections together.',
      },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const once = new OnceOptions(wrapper);
    const v: Record<string, number> = {};
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'read_bytes_per_second':
        case 'total_read_bytes_per_second': {
          once.mark(d, option);
          const f = parseGoFloat(singleArg(d));
          if (typeof f === 'string') throw d.err(`parsing ${wrapper} option '${option}': ${f}`);
          v[option] = f;
          break;
        }
        case 'read_burst_size':
        case 'total_read_burst_size':
          once.mark(d, option);
          v[option] = intArg(d, wrapper, option, 64, true);
          break;
        case 'latency':
          once.mark(d, option);
          v[option] = durationArg(d, wrapper, option);
          break;
        default:
          throw d.argErr();
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4HandlerFields<'throttle'>>({
      read_bytes_per_second: v['read_bytes_per_second'],
      read_burst_size: v['read_burst_size'],
      total_read_bytes_per_second: v['total_read_bytes_per_second'],
      total_read_burst_size: v['total_read_burst_size'],
      latency: v['latency'],
    });
  },
);
