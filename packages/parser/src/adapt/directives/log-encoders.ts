/** @module log-encoders: `caddy.logging.encoders.*` for `log { format ... }`: console, json, filter, append, journald. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type {
  AdaptedLogEncoder,
  AdaptedLogFilter,
  AppendEncoder,
  FilterEncoder,
  JournaldEncoder,
  LogEncoderConfig,
  Own,
  RegexpFilter,
} from '@proxy/contract';
import { moduleObject } from '../json.js';
import { moduleOf } from '../tls/fields.js';
import { guestModules, type Subdirective } from '../module.js';
import { lookup } from '../modules.js';
import { omitZero } from './common.js';

/** The string options of `LogEncoderConfig`. */
type KeyOption = Exclude<keyof LogEncoderConfig, 'time_local'>;

const KEY_OPTIONS = new Set<string>([
  'message_key',
  'level_key',
  'time_key',
  'name_key',
  'caller_key',
  'stacktrace_key',
  'line_ending',
  'time_format',
  'duration_format',
  'level_format',
] satisfies KeyOption[]);

/** Caddy's `LogEncoderConfig.UnmarshalCaddyfile` (console and json). */
function encoderConfig(d: Dispenser): LogEncoderConfig {
  d.next();
  if (d.nextArg()) throw d.argErr();
  const out: { -readonly [K in keyof LogEncoderConfig]: LogEncoderConfig[K] } = {};
  while (d.nextBlock(0)) {
    const sub = d.val();
    if (sub === 'time_local') {
      out.time_local = true;
      if (d.nextArg()) throw d.argErr();
      continue;
    }
    const a = d.allArgs(1);
    if (!a) throw d.argErr();
    if (!KEY_OPTIONS.has(sub)) throw d.err(`unrecognized subdirective ${sub}`);
    out[sub as KeyOption] = a[0];
  }
  // The *_key options are pointers (an empty value is kept); the formats are plain strings.
  omitZero(out, 'time_format', 'duration_format', 'level_format');
  return out;
}

/** What the wrapping encoders share: the encoder they wrap. */
interface Wrapper {
  wrap?: AdaptedLogEncoder;
}

function wrap(d: Dispenser, out: Wrapper): void {
  if (!d.nextArg()) throw d.argErr();
  out.wrap = parseLogEncoder(d);
}

/**
 * The block shared by the `filter` and `append` encoders: `wrap <encoder>`, and per-field lines either at the top
 * of the block or inside `fields { }`.
 */
function wrappingEncoder<F, T extends Wrapper & { fields?: Record<string, F> }>(
  d: Dispenser,
  out: T,
  fields: Record<string, F>,
  parseField: () => void,
): T {
  while (d.nextBlock(0)) {
    switch (d.val()) {
      case 'wrap':
        wrap(d, out);
        break;
      case 'fields':
        for (const nesting = d.nesting(); d.nextBlock(nesting); ) parseField();
        break;
      default:
        parseField();
    }
  }
  if (Object.keys(fields).length > 0) out.fields = fields;
  return out;
}

function filterEncoder(d: Dispenser): Own<FilterEncoder, 'format'> {
  d.next();
  const out: Own<FilterEncoder, 'format'> = {};
  const fields: Record<string, AdaptedLogFilter> = {};
  const parseField = (): void => {
    const field = d.val();
    if (!d.nextArg()) throw d.argErr();
    const name = d.val();
    const id = `caddy.logging.encoders.filter.${name}`;
    const parse = lookup('log-filter', name)?.parse;
    if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
    const filter = moduleOf<AdaptedLogFilter>('filter', name, parse(d.newFromNextSegment()));
    const existing = fields[field];
    if (filter.filter === 'regexp' && existing) {
      // A second regexp on the same field turns it into one multi_regexp filter.
      const op = (f: RegexpFilter) => ({ regexp: f.regexp, value: f.value });
      if (existing.filter === 'regexp') {
        fields[field] = moduleObject<AdaptedLogFilter>('filter', 'multi_regexp', {
          operations: [op(existing), op(filter)],
        });
        return;
      }
      if (existing.filter === 'multi_regexp') {
        // Module objects may share parts with what they were made from: make a new one rather than append.
        fields[field] = moduleObject<AdaptedLogFilter>('filter', 'multi_regexp', {
          operations: [...(existing.operations ?? []), op(filter)],
        });
        return;
      }
    }
    fields[field] = filter;
  };
  return wrappingEncoder(d, out, fields, parseField);
}

function appendEncoder(d: Dispenser): Own<AppendEncoder, 'format'> {
  d.next();
  const out: Own<AppendEncoder, 'format'> = {};
  const fields: Record<string, string | number | boolean> = {};
  const parseField = (): void => {
    const field = d.val();
    if (!d.nextArg()) throw d.argErr();
    fields[field] = d.scalarVal();
    if (d.nextArg()) throw d.argErr();
  };
  return wrappingEncoder(d, out, fields, parseField);
}

function journaldEncoder(d: Dispenser): Own<JournaldEncoder, 'format'> {
  d.next();
  if (d.nextArg()) throw d.argErr();
  const out: Own<JournaldEncoder, 'format'> = {};
  while (d.nextBlock(0)) {
    if (d.val() !== 'wrap') throw d.err(`unrecognized subdirective ${d.val()}`);
    wrap(d, out);
  }
  return out;
}

/** The options of `console` and `json` (logging.LogEncoderConfig), the same for both. */
const ENCODER_CONFIG_SUBDIRECTIVES: Subdirective[] = [
  { name: 'message_key', syntax: 'message_key <key>', doc: 'The key of the message.' },
  { name: 'level_key', syntax: 'level_key <key>', doc: 'The key of the level.' },
  { name: 'time_key', syntax: 'time_key <key>', doc: 'The key of the time.' },
  { name: 'name_key', syntax: 'name_key <key>', doc: 'The key of the logger name.' },
  { name: 'caller_key', syntax: 'caller_key <key>', doc: 'The key of the caller.' },
  { name: 'stacktrace_key', syntax: 'stacktrace_key <key>', doc: 'The key of the stack trace.' },
  { name: 'line_ending', syntax: 'line_ending <chars>', doc: 'The line ending.' },
  { name: 'time_format', syntax: 'time_format <format>', doc: 'How times are written.' },
  { name: 'time_local', syntax: 'time_local', doc: 'Writes local times instead of UTC.' },
  { name: 'duration_format', syntax: 'duration_format <format>', doc: 'How durations are written.' },
  { name: 'level_format', syntax: 'level_format lower|upper|color', doc: 'How levels are written.' },
];

export const LOG_ENCODERS = guestModules(
  'log-encoder',
  {
    console: encoderConfig,
    json: encoderConfig,
    filter: filterEncoder,
    append: appendEncoder,
    journald: journaldEncoder,
  },
  {
    console: {
      syntax: 'console { <encoder options> }',
      doc: 'Writes human-readable lines.',
      subdirectives: ENCODER_CONFIG_SUBDIRECTIVES,
    },
    json: {
      syntax: 'json { <encoder options> }',
      doc: 'Writes one JSON object per entry.',
      subdirectives: ENCODER_CONFIG_SUBDIRECTIVES,
    },
    filter: {
      syntax: 'filter { wrap <encoder> [...]; fields { <field> <filter> [...] } }',
      doc: 'Filters fields (delete, hash, replace, ip_mask...) before another encoder writes them.',
      subdirectives: [
        { name: 'wrap', syntax: 'wrap <encoder> [...]', doc: 'The encoder that writes the filtered entry.' },
        { name: 'fields', syntax: 'fields { <field> <filter> [...] }', doc: 'The filters by field.' },
      ],
    },
    append: {
      syntax: 'append { wrap <encoder> [...]; fields { <field> <value> } }',
      doc: 'Adds fields before another encoder writes the entry.',
      subdirectives: [
        { name: 'wrap', syntax: 'wrap <encoder> [...]', doc: 'The encoder that writes the entry.' },
        { name: 'fields', syntax: 'fields { <field> <value> }', doc: 'The fields to add.' },
      ],
    },
    journald: {
      syntax: 'journald { wrap <encoder> [...] }',
      doc: 'Prefixes entries with their systemd-journald priority.',
      subdirectives: [{ name: 'wrap', syntax: 'wrap <encoder> [...]', doc: 'The encoder that writes the entry.' }],
    },
  },
);

/** Parses the encoder named by the current token (`format NAME ...`) into a module object with `format`. */
export function parseLogEncoder(d: Dispenser): AdaptedLogEncoder {
  const name = d.val();
  const id = `caddy.logging.encoders.${name}`;
  const parse = lookup('log-encoder', name)?.parse;
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return moduleOf<AdaptedLogEncoder>('format', name, parse(d.newFromNextSegment()));
}
