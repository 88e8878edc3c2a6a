/**
 * @module log-filters: `caddy.logging.encoders.filter.*` field filters (delete, rename, replace, ip_mask, query, cookie,
 * set_cookie, regexp, multi_regexp, hash).
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type {
  ActionsFilter,
  BareLogFilter,
  IpMaskFilter,
  LogFilterAction,
  MultiRegexpFilter,
  Own,
  RegexpFilter,
  RenameFilter,
  ReplaceFilter,
} from '@proxy/contract';
import { guestModules, type GuestParser } from '../module.js';
import { atoi, omitZero } from './common.js';

function none(d: Dispenser): Own<BareLogFilter, 'filter'> {
  d.next();
  return {};
}

function rename(d: Dispenser): Own<RenameFilter, 'filter'> {
  d.next();
  return d.nextArg() ? { name: d.val() } : {};
}

function replace(d: Dispenser): Own<ReplaceFilter, 'filter'> {
  d.next();
  return d.nextArg() ? { value: d.val() } : {};
}

function mask(d: Dispenser, s: string): number {
  const n = atoi(s);
  if (typeof n === 'string') throw d.err(`error parsing ${s}: ${n}`);
  return n;
}

function actions(paramKey: 'parameter' | 'name') {
  return (d: Dispenser): Own<ActionsFilter, 'filter'> => {
    d.next();
    const list: LogFilterAction[] = [];
    while (d.nextBlock(0)) {
      const type = d.val();
      if (type !== 'replace' && type !== 'hash' && type !== 'delete') throw d.err(`unrecognized subdirective ${type}`);
      if (!d.nextArg()) throw d.argErr();
      const a: LogFilterAction = paramKey === 'parameter' ? { type, parameter: d.val() } : { type, name: d.val() };
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
const PARSERS = {
  delete: none,
  hash: none,
  rename,
  replace,
  regexp(d: Dispenser): Own<RegexpFilter, 'filter'> {
    d.next();
    const out: Own<RegexpFilter, 'filter'> = {};
    if (d.nextArg()) out.regexp = d.val();
    if (d.nextArg()) out.value = d.val();
    return out;
  },
  ip_mask(d: Dispenser): Own<IpMaskFilter, 'filter'> {
    d.next();
    const out: Own<IpMaskFilter, 'filter'> = {};
    const args = d.remainingArgs();
    if (args.length > 2) throw d.err('too many arguments');
    if (args.length > 0) out.ipv4_cidr = mask(d, args[0]!);
    if (args.length > 1) out.ipv6_cidr = mask(d, args[1]!);
    while (d.nextBlock(0)) {
      const sub = d.val();
      if (sub !== 'ipv4' && sub !== 'ipv6') throw d.err(`unrecognized subdirective ${sub}`);
      if (!d.nextArg()) throw d.argErr();
      out[sub === 'ipv4' ? 'ipv4_cidr' : 'ipv6_cidr'] = mask(d, d.val());
    }
    return out;
  },
  query: actions('parameter'),
  cookie: actions('name'),
  // Current Caddy: the cookies of Set-Cookie response headers.
  set_cookie: actions('name'),
  // Caddy 2.11: several regexp replacements in order.
  multi_regexp(d: Dispenser): Own<MultiRegexpFilter, 'filter'> {
    d.next();
    const operations: { regexp: string; value: string }[] = [];
    while (d.nextBlock(0)) {
      if (d.val() !== 'regexp') throw d.err(`unrecognized subdirective ${d.val()}`);
      if (!d.nextArg()) throw d.argErr();
      const regexp = d.val();
      if (!d.nextArg()) throw d.argErr();
      operations.push({ regexp, value: d.val() });
    }
    return operations.length > 0 ? { operations } : {};
  },
};

/** Filter parsers by module name, each over its own segment (cursor before the filter name). */
const FILTERS = Object.fromEntries(
  Object.entries(PARSERS).map(([name, parse]) => [
    name,
    (d: Dispenser) => {
      const out: ReturnType<GuestParser<'log-filter'>> = parse(d);
      omitZero(out, 'value', 'regexp', 'name', 'ipv4_cidr', 'ipv6_cidr');
      return out;
    },
  ]),
) as Record<keyof typeof PARSERS, GuestParser<'log-filter'>>;

export const LOG_FILTERS = guestModules('log-filter', FILTERS, {
  delete: {
    syntax: 'delete',
    doc: 'Removes the field.',
  },
  hash: {
    syntax: 'hash',
    doc: 'Replaces the value by the first 4 bytes of its SHA-256 hash.',
  },
  rename: {
    syntax: 'rename <name>',
    doc: 'Renames the field.',
  },
  replace: {
    syntax: 'replace [<value>]',
    doc: 'Replaces the value (with nothing by default).',
  },
  regexp: {
    syntax: 'regexp <pattern> <replacement>',
    doc: 'Replaces regular expression matches in the value.',
  },
  ip_mask: {
    syntax: 'ip_mask [<ipv4_bits> [<ipv6_bits>]] { ipv4 <bits>; ipv6 <bits> }',
    doc: 'Masks IP addresses in the value to a prefix length.',
    subdirectives: [
      { name: 'ipv4', syntax: 'ipv4 <bits>', doc: 'The IPv4 prefix length kept.' },
      { name: 'ipv6', syntax: 'ipv6 <bits>', doc: 'The IPv6 prefix length kept.' },
    ],
  },
  query: {
    syntax: 'query { replace|hash|delete <param> [<value>] }',
    doc: 'Replaces, hashes or deletes query parameters in a URI.',
    subdirectives: [
      { name: 'replace', syntax: 'replace <param> <value>', doc: 'Replaces the value.' },
      { name: 'hash', syntax: 'hash <param>', doc: 'Replaces the value by a hash.' },
      { name: 'delete', syntax: 'delete <param>', doc: 'Deletes it.' },
    ],
  },
  set_cookie: {
    syntax: 'set_cookie { replace|hash|delete <name> [<value>] }',
    doc: 'Replaces, hashes or deletes cookies in Set-Cookie headers.',
    subdirectives: [
      { name: 'replace', syntax: 'replace <name> <value>', doc: 'Replaces the cookie value.' },
      { name: 'hash', syntax: 'hash <name>', doc: 'Replaces the cookie value by a hash.' },
      { name: 'delete', syntax: 'delete <name>', doc: 'Drops the Set-Cookie header of that cookie.' },
    ],
  },
  multi_regexp: {
    syntax: 'multi_regexp { regexp <pattern> <replacement> ... }',
    doc: 'Replaces matches of several regular expressions in the value, in order.',
    subdirectives: [{ name: 'regexp', syntax: 'regexp <pattern> <replacement>', doc: 'One replacement (repeatable).' }],
  },
  cookie: {
    syntax: 'cookie { replace|hash|delete <name> [<value>] }',
    doc: 'Replaces, hashes or deletes cookies in a Cookie header.',
    subdirectives: [
      { name: 'replace', syntax: 'replace <name> <value>', doc: 'Replaces the value.' },
      { name: 'hash', syntax: 'hash <name>', doc: 'Replaces the value by a hash.' },
      { name: 'delete', syntax: 'delete <name>', doc: 'Deletes it.' },
    ],
  },
});
