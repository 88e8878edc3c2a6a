/**
 * @module log: the `log` directive and the accumulating `log` global option (Caddy's `parseLogHelper`), both
 * giving `custom_log` values shaped like Caddy's `namedCustomLog`; the pipeline assembles the loggers.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { caddyDurationNs, type AdaptedCustomLog, type LogSampling } from '@proxy/contract';
import type { ConfigValue } from '../registry.js';
import { atoi } from './common.js';
import { parseLogEncoder } from './log-encoders.js';
import { parseLogWriter } from './log-writers.js';
import type { ModuleOfKind } from '../module.js';

/**
 * Caddy's `namedCustomLog`: `log` is the `caddy.CustomLog` in struct order (writer, encoder, core, level,
 * sampling, include, exclude), absent for an empty config.
 */
export interface NamedCustomLog {
  name: string;
  hostnames: string[];
  log?: AdaptedCustomLog;
  noHostname: boolean;
}

/** Subdirectives that may appear once per log block. */
const SINGLE = new Set(['output', 'format', 'level', 'sampling', 'core', 'no_hostname']);

function parseSampling(d: Dispenser): LogSampling {
  const s = d.newFromNextSegment();
  while (s.nextArg()) {
    // Tokens on the `sampling` line are ignored, as in Caddy.
  }
  const out: LogSampling = {};
  for (const nesting = s.nesting(); s.nextBlock(nesting); ) {
    const sub = s.val();
    if (!s.nextArg()) throw s.argErr();
    if (sub === 'interval') {
      const v = caddyDurationNs(s.val());
      if (typeof v === 'string') throw s.err(`failed to parse interval: ${v}`);
      out.interval = v;
    } else if (sub === 'first' || sub === 'thereafter') {
      const n = atoi(s.val());
      if (typeof n === 'string') throw s.err(`failed to parse ${sub}: ${n}`);
      out[sub] = n;
    } else {
      throw s.err(`unrecognized subdirective: ${sub}`);
    }
  }
  // Go struct order, zero values omitted.
  const ordered: LogSampling = {};
  if (out.interval) ordered.interval = out.interval;
  if (out.first) ordered.first = out.first;
  if (out.thereafter) ordered.thereafter = out.thereafter;
  return ordered;
}

/**
 * Parses one `log [name] { ... }` segment (cursor before `log`). `globalNames` is given for the global option
 * (names used so far); `state` holds the `logCounter` for site logs.
 */
export function parseLogSegment(
  d: Dispenser,
  globalNames: Set<string> | undefined,
  state: Map<string, unknown>,
): NamedCustomLog {
  d.next();
  const global = globalNames !== undefined;
  let name = '';
  if (d.nextArg()) {
    name = d.val();
    if (d.nextArg()) throw d.argErr();
  } else if (global) {
    name = 'default';
  }
  if (global) {
    if (globalNames.has(name)) throw d.err(`duplicate global log option for: ${name}`);
    globalNames.add(name);
  }

  const cl: AdaptedCustomLog = {};
  const hostnames: string[] = [];
  let noHostname = false;
  const seen = new Set<string>();
  while (d.nextBlock(0)) {
    const sub = d.val();
    if (SINGLE.has(sub)) {
      if (seen.has(sub)) throw d.err(`'${sub}' subdirective specified more than once in the same log block`);
      seen.add(sub);
    }
    switch (sub) {
      case 'hostnames': {
        if (global) throw d.err('hostnames is not allowed in the log global options');
        const args = d.remainingArgs();
        if (args.length === 0) throw d.argErr();
        hostnames.push(...args);
        break;
      }
      case 'output':
        if (!d.nextArg()) throw d.argErr();
        cl.writer = parseLogWriter(d);
        break;
      case 'sampling':
        cl.sampling = parseSampling(d);
        break;
      case 'core': {
        if (!d.nextArg()) throw d.argErr();
        const id = `caddy.logging.cores.${d.val()}`;
        if (d.val() !== 'mock') throw d.err(`getting module named '${id}': module not registered: ${id}`);
        d.newFromNextSegment();
        cl.core = { module: 'mock' };
        break;
      }
      case 'format':
        if (!d.nextArg()) throw d.argErr();
        cl.encoder = parseLogEncoder(d);
        break;
      case 'level':
        if (!d.nextArg()) throw d.argErr();
        cl.level = d.val();
        if (d.nextArg()) throw d.argErr();
        break;
      case 'include':
      case 'exclude': {
        if (!global) throw d.err(`${sub} is not allowed in the log directive`);
        const list: string[] = [];
        while (d.nextArg()) list.push(d.val());
        if (list.length > 0) cl[sub] = [...(cl[sub] ?? []), ...list];
        break;
      }
      case 'no_hostname':
        if (d.nextArg()) throw d.argErr();
        noHostname = true;
        break;
      default:
        throw d.err(`unrecognized subdirective: ${sub}`);
    }
  }

  const isEmpty = Object.keys(cl).length === 0;
  if (!global) {
    if (name === '' && !isEmpty) {
      const counter = (state.get('logCounter') as number | undefined) ?? 0;
      name = `log${counter}`;
      state.set('logCounter', counter + 1);
    }
    if (name !== '') cl.include = [`http.log.access.${name}`];
  }
  // Go struct order.
  const log: AdaptedCustomLog = {
    writer: cl.writer,
    encoder: cl.encoder,
    core: cl.core,
    level: cl.level,
    sampling: cl.sampling,
    include: cl.include,
    exclude: cl.exclude,
  };
  for (const k of Object.keys(log) as (keyof AdaptedCustomLog)[]) if (log[k] === undefined) delete log[k];
  const value: NamedCustomLog = { name, hostnames, noHostname };
  if (!isEmpty) value.log = log;
  return value;
}

export const LogDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'log',
  syntax:
    'log [<logger_name>] { hostnames; no_hostname; output <writer> [...]; format <encoder> [...]; level <level>; sampling { } }',
  doc: 'Turns on access logging for the site.',
  subdirectives: [
    { name: 'hostnames', syntax: 'hostnames <hosts...>', doc: 'The hostnames this logger is for.' },
    { name: 'no_hostname', syntax: 'no_hostname', doc: "Does not tie the logger to the site's hostnames." },
    {
      name: 'output',
      syntax: 'output stdout|stderr|discard|file <path>|net <address> [...]',
      doc: 'Where to write the log.',
    },
    { name: 'format', syntax: 'format console|json|append|filter [...]', doc: 'How to encode entries.' },
    { name: 'level', syntax: 'level <level>', doc: 'The minimum level.' },
    {
      name: 'sampling',
      syntax: 'sampling { interval <d>; first <int>; thereafter <int> }',
      doc: 'Samples entries under load.',
    },
    { name: 'core', syntax: 'core <module> [...]', doc: 'A log core module.' },
  ],
  parse: (h) => [{ class: 'custom_log', value: parseLogSegment(h, undefined, h.state) }],
};

export const LogOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'log',
  syntax: 'log [<name>] { output; format; level; include <namespaces...>; exclude <namespaces...>; sampling { } }',
  doc: "Configures a named logger (or the default logger) for Caddy's own logs.",
  subdirectives: [
    {
      name: 'output',
      syntax: 'output stdout|stderr|discard|file <path>|net <address> [...]',
      doc: 'Where to write the log.',
    },
    { name: 'format', syntax: 'format console|json|append|filter [...]', doc: 'How to encode entries.' },
    { name: 'level', syntax: 'level <level>', doc: 'The minimum level.' },
    { name: 'include', syntax: 'include <namespaces...>', doc: 'Only logs from these namespaces.' },
    { name: 'exclude', syntax: 'exclude <namespaces...>', doc: 'Not logs from these namespaces.' },
    {
      name: 'sampling',
      syntax: 'sampling { interval <d>; first <int>; thereafter <int> }',
      doc: 'Samples entries under load.',
    },
  ],
  parse: (d, existing) => {
    const prior = (existing as ConfigValue[] | undefined) ?? [];
    const names = new Set(prior.map((v) => (v.value as NamedCustomLog).name));
    const value = parseLogSegment(d, names, new Map());
    return [...prior, { class: 'custom_log', value }];
  },
};
