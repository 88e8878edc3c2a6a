/** @module log-writers: `caddy.logging.writers.*` for `log { output ... }`: stdout/stderr/discard, file (with roll options), net. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import {
  caddyDurationNs,
  type AdaptedLogWriter,
  type FileWriter,
  type NetWriter,
  type Own,
  type StdWriter,
} from '@proxy/contract';
import { moduleObject } from '../json.js';
import { moduleOf } from '../tls/fields.js';
import { guestModules } from '../module.js';
import { lookup } from '../modules.js';
import { atoi, omitZero, parseBytes } from './common.js';

/** Go's `append(field, items...)` on a slice field: appending nothing to a nil slice leaves it nil (absent). */
function appendTo<T>(list: T[] | undefined, items: T[]): T[] | undefined {
  return items.length === 0 ? list : [...(list ?? []), ...items];
}

function one(d: Dispenser): string {
  const a = d.allArgs(1);
  if (!a) throw d.argErr();
  return a[0]!;
}

/** Octal file mode as Caddy's `fileMode` marshals it (`"0644"`). */
function octalMode(d: Dispenser, s: string): string {
  if (!/^[0-7]+$/.test(s)) throw d.err(`parsing mode: strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  return parseInt(s, 8).toString(8).padStart(4, '0');
}

function fileWriter(d: Dispenser): Own<FileWriter, 'output'> {
  d.next();
  if (!d.nextArg()) throw d.argErr();
  const w: Own<FileWriter, 'output'> = { filename: d.val() };
  if (d.nextArg()) throw d.argErr();
  while (d.nextBlock(0)) {
    const sub = d.val();
    switch (sub) {
      case 'mode':
        w.mode = octalMode(d, one(d));
        break;
      case 'dir_mode': {
        const v = one(d);
        w.dir_mode = v === 'from_file' ? v : octalMode(d, v);
        break;
      }
      case 'roll_disabled':
        w.roll = false;
        if (d.nextArg()) throw d.argErr();
        break;
      case 'roll_size': {
        const n = parseBytes(one(d));
        if (typeof n === 'string') throw d.err(`parsing size: ${n}`);
        w.roll_size_mb = Math.ceil(n / 1024 / 1024);
        break;
      }
      case 'roll_uncompressed':
        w.roll_gzip = false;
        if (d.nextArg()) throw d.argErr();
        break;
      case 'roll_compression': {
        const v = one(d);
        if (!['none', 'gzip', 'zstd'].includes(v)) throw d.err(`unrecognized roll_compression value: ${v}`);
        w.roll_compression = v;
        break;
      }
      case 'roll_local_time':
        w.roll_local_time = true;
        if (d.nextArg()) throw d.argErr();
        break;
      case 'roll_keep': {
        const n = atoi(one(d));
        if (typeof n === 'string') throw d.err(`parsing roll_keep number: ${n}`);
        w.roll_keep = n;
        break;
      }
      case 'roll_keep_for': {
        const v = caddyDurationNs(one(d));
        if (typeof v === 'string') throw d.err(`parsing roll_keep_for duration: ${v}`);
        if (v < 0) throw d.err(`negative roll_keep_for duration: ${v}`);
        w.roll_keep_days = Math.ceil(v / 3600e9 / 24);
        break;
      }
      case 'roll_interval': {
        const v = caddyDurationNs(one(d));
        if (typeof v === 'string') throw d.err(`parsing roll_interval duration: ${v}`);
        w.roll_interval = v;
        break;
      }
      case 'roll_at':
        w.roll_at = appendTo(
          w.roll_at,
          d.remainingArgs().flatMap((a) => a.split(',').filter((x) => x !== '')),
        );
        break;
      case 'roll_minutes': {
        const list: number[] = [];
        for (const a of d.remainingArgs()) {
          for (const m of a.split(',').filter((x) => x !== '')) {
            const n = atoi(m);
            if (typeof n === 'string') throw d.err(`parsing roll_minutes number: ${n}`);
            list.push(n);
          }
        }
        w.roll_minutes = appendTo(w.roll_minutes, list);
        break;
      }
      case 'backup_time_format':
        w.backup_time_format = one(d);
        break;
      default:
        throw d.err(`unrecognized subdirective '${sub}'`);
    }
  }
  omitZero(w, 'filename', 'roll_size_mb', 'roll_interval', 'roll_keep', 'roll_keep_days');
  return w;
}

function netWriter(d: Dispenser): Own<NetWriter, 'output'> {
  d.next();
  if (!d.nextArg()) throw d.argErr();
  const w: Own<NetWriter, 'output'> = { address: d.val() };
  if (d.nextArg()) throw d.argErr();
  while (d.nextBlock(0)) {
    switch (d.val()) {
      case 'dial_timeout': {
        if (!d.nextArg()) throw d.argErr();
        const v = caddyDurationNs(d.val());
        if (typeof v === 'string') throw d.err(`invalid duration: ${d.val()}`);
        if (d.nextArg()) throw d.argErr();
        w.dial_timeout = v;
        break;
      }
      case 'soft_start':
        if (d.nextArg()) throw d.argErr();
        w.soft_start = true;
        break;
      default:
        throw d.err(`unrecognized subdirective '${d.val()}'`);
    }
  }
  omitZero(w, 'address', 'dial_timeout');
  return w;
}

export const LOG_WRITERS = guestModules(
  'log-writer',
  { file: fileWriter, net: netWriter },
  {
    file: {
      syntax:
        'file <path> { mode; roll_disabled; roll_size; roll_uncompressed; roll_local_time; roll_keep; roll_keep_for }',
      doc: 'Writes to a file, rolling it by size.',
      subdirectives: [
        { name: 'mode', syntax: 'mode <octal>', doc: 'The file mode.' },
        { name: 'roll_disabled', syntax: 'roll_disabled', doc: 'Never rolls the file.' },
        { name: 'roll_size', syntax: 'roll_size <size>', doc: 'Rolls the file at this size.' },
        { name: 'roll_uncompressed', syntax: 'roll_uncompressed', doc: 'Does not gzip rolled files.' },
        { name: 'roll_local_time', syntax: 'roll_local_time', doc: 'Uses local time in rolled file names.' },
        { name: 'roll_keep', syntax: 'roll_keep <int>', doc: 'How many rolled files to keep.' },
        { name: 'roll_keep_for', syntax: 'roll_keep_for <duration>', doc: 'How long to keep rolled files.' },
        {
          name: 'backup_time_format',
          syntax: 'backup_time_format <layout>',
          doc: 'The Go time layout of the timestamp in rolled file names.',
        },
      ],
    },
    net: {
      syntax: 'net <address> { dial_timeout <duration>; soft_start }',
      doc: 'Writes to a network socket.',
      subdirectives: [
        { name: 'dial_timeout', syntax: 'dial_timeout <duration>', doc: 'How long to wait to connect.' },
        { name: 'soft_start', syntax: 'soft_start', doc: 'Starts even if the socket cannot be reached.' },
      ],
    },
  },
);

/** Parses the writer named by the current token (`output NAME ...`) into a module object with `output`. */
export function parseLogWriter(d: Dispenser): AdaptedLogWriter {
  const name = d.val();
  if (name === 'stdout' || name === 'stderr' || name === 'discard') return moduleObject<StdWriter>('output', name, {});
  const id = `caddy.logging.writers.${name}`;
  const parse = lookup('log-writer', name)?.parse;
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return moduleOf<AdaptedLogWriter>('output', name, parse(d.newFromNextSegment()));
}
