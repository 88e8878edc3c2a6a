/** @module log-filters: `caddy.logging.encoders.filter.*` field filters (delete, rename, replace, ip_mask, query, cookie, regexp, hash). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { JsonObject } from '../json.js';
import { atoi, omitZero } from './common.js';

function none(d: Dispenser): JsonObject {
  d.next();
  return {};
}

function optionalArg(key: string) {
  return (d: Dispenser): JsonObject => {
    d.next();
    return d.nextArg() ? { [key]: d.val() } : {};
  };
}

function mask(d: Dispenser, s: string): number {
  const n = atoi(s);
  if (typeof n === 'string') throw d.err(`error parsing ${s}: ${n}`);
  return n;
}

function actions(paramKey: string) {
  return (d: Dispenser): JsonObject => {
    d.next();
    const list: JsonObject[] = [];
    while (d.nextBlock(0)) {
      const type = d.val();
      if (type !== 'replace' && type !== 'hash' && type !== 'delete') throw d.err(`unrecognized subdirective ${type}`);
      if (!d.nextArg()) throw d.argErr();
      const a: JsonObject = { type, [paramKey]: d.val() };
      if (type === 'replace') {
        if (!d.nextArg()) throw d.argErr();
        a.value = d.val();
      }
      list.push(a);
    }
    return list.length > 0 ? { actions: list } : {};
  };
}

/** The filter parsers, before zero values are dropped. */
const PARSERS: Record<string, (d: Dispenser) => JsonObject> = {
  delete: none,
  hash: none,
  rename: optionalArg('name'),
  replace: optionalArg('value'),
  regexp(d) {
    d.next();
    const out: JsonObject = {};
    if (d.nextArg()) out.regexp = d.val();
    if (d.nextArg()) out.value = d.val();
    return out;
  },
  ip_mask(d) {
    d.next();
    const out: JsonObject = {};
    const args = d.remainingArgs();
    if (args.length > 2) throw d.err('too many arguments');
    if (args.length > 0) out.ipv4_cidr = mask(d, args[0]!);
    if (args.length > 1) out.ipv6_cidr = mask(d, args[1]!);
    while (d.nextBlock(0)) {
      const sub = d.val();
      if (sub !== 'ipv4' && sub !== 'ipv6') throw d.err(`unrecognized subdirective ${sub}`);
      if (!d.nextArg()) throw d.argErr();
      out[`${sub}_cidr`] = mask(d, d.val());
    }
    return out;
  },
  query: actions('parameter'),
  cookie: actions('name'),
};

/** Filter parsers by module name, each over its own segment (cursor before the filter name). */
export const FILTERS: Record<string, (d: Dispenser) => JsonObject> = Object.fromEntries(
  Object.entries(PARSERS).map(([name, parse]) => [name, (d: Dispenser) => {
    const out = parse(d);
    omitZero(out, 'value', 'regexp', 'name', 'ipv4_cidr', 'ipv6_cidr');
    return out;
  }]),
);
