/** @module log-encoders: `caddy.logging.encoders.*` for `log { format ... }`: console, json, filter, append, journald. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, type JsonObject } from '../json.js';
import { omitZero } from './common.js';
import { FILTERS } from './log-filters.js';

const KEY_OPTIONS = new Set([
  'message_key', 'level_key', 'time_key', 'name_key', 'caller_key', 'stacktrace_key', 'line_ending',
  'time_format', 'duration_format', 'level_format',
]);

/** Caddy's `LogEncoderConfig.UnmarshalCaddyfile` (console and json). */
function encoderConfig(d: Dispenser): JsonObject {
  d.next();
  if (d.nextArg()) throw d.argErr();
  const out: JsonObject = {};
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
    out[sub] = a[0];
  }
  // The *_key options are pointers (an empty value is kept); the formats are plain strings.
  omitZero(out, 'time_format', 'duration_format', 'level_format');
  return out;
}

function wrap(d: Dispenser, out: JsonObject): void {
  if (!d.nextArg()) throw d.argErr();
  out.wrap = parseLogEncoder(d);
}

/**
 * The block shared by the `filter` and `append` encoders: `wrap <encoder>`, and per-field lines either at the top
 * of the block or inside `fields { }`.
 */
function wrappingEncoder(d: Dispenser, out: JsonObject, fields: JsonObject, parseField: () => void): JsonObject {
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

function filterEncoder(d: Dispenser): JsonObject {
  d.next();
  const out: JsonObject = {};
  const fields: JsonObject = {};
  const parseField = (): void => {
    const field = d.val();
    if (!d.nextArg()) throw d.argErr();
    const name = d.val();
    const id = `caddy.logging.encoders.filter.${name}`;
    const parse = FILTERS[name];
    if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
    const filter = moduleObject('filter', name, parse(d.newFromNextSegment()));
    const existing = fields[field] as JsonObject | undefined;
    if (name === 'regexp' && existing) {
      // A second regexp on the same field turns it into one multi_regexp filter.
      const op = (f: JsonObject): JsonObject => ({ regexp: f.regexp, value: f.value });
      if (existing.filter === 'regexp') {
        fields[field] = moduleObject('filter', 'multi_regexp', { operations: [op(existing), op(filter)] });
        return;
      }
      if (existing.filter === 'multi_regexp') {
        // Module objects may share parts with what they were made from: make a new one rather than append.
        fields[field] = moduleObject('filter', 'multi_regexp', { operations: [...(existing.operations as JsonObject[]), op(filter)] });
        return;
      }
    }
    fields[field] = filter;
  };
  return wrappingEncoder(d, out, fields, parseField);
}

function appendEncoder(d: Dispenser): JsonObject {
  d.next();
  const out: JsonObject = {};
  const fields: JsonObject = {};
  const parseField = (): void => {
    const field = d.val();
    if (!d.nextArg()) throw d.argErr();
    fields[field] = d.scalarVal();
    if (d.nextArg()) throw d.argErr();
  };
  return wrappingEncoder(d, out, fields, parseField);
}

function journaldEncoder(d: Dispenser): JsonObject {
  d.next();
  if (d.nextArg()) throw d.argErr();
  const out: JsonObject = {};
  while (d.nextBlock(0)) {
    if (d.val() !== 'wrap') throw d.err(`unrecognized subdirective ${d.val()}`);
    wrap(d, out);
  }
  return out;
}

const ENCODERS: Record<string, (d: Dispenser) => JsonObject> = {
  console: encoderConfig,
  json: encoderConfig,
  filter: filterEncoder,
  append: appendEncoder,
  journald: journaldEncoder,
};

/** Parses the encoder named by the current token (`format NAME ...`) into a module object with `format`. */
export function parseLogEncoder(d: Dispenser): JsonObject {
  const name = d.val();
  const id = `caddy.logging.encoders.${name}`;
  const parse = ENCODERS[name];
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return moduleObject('format', name, parse(d.newFromNextSegment()));
}
