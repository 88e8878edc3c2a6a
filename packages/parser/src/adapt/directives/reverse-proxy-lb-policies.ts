/** @module reverse-proxy-lb-policies: `http.reverse_proxy.selection_policies.*` Caddyfile parsers (`lb_policy NAME ...`). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject } from '../json.js';
import { caddyDurationNs, type SelectionPolicies, type SelectionPolicy } from '@proxy/contract';
import { guestModules } from '../module.js';
import { lookup } from '../modules.js';
import { atoi, omitZero } from './common.js';

/** Each policy's parser returns that policy's fields. */
type PolicyParsers = { [P in keyof SelectionPolicies]: (d: Dispenser) => SelectionPolicies[P] };

function noArgs(d: Dispenser): Record<string, never> {
  d.next();
  if (d.nextArg()) throw d.argErr();
  return {};
}

/** Parses the optional `{ fallback <policy> }` block of the hash policies (and cookie's `max_age`). */
function fallbackBlock(d: Dispenser, out: SelectionPolicies['cookie'], cookie = false): void {
  while (d.nextBlock(0)) {
    if (cookie && d.val() === 'max_age') {
      if (!d.nextArg()) throw d.argErr();
      if (out.max_age !== undefined) throw d.err('cookie max_age already specified');
      const v = caddyDurationNs(d.val());
      if (typeof v === 'string') throw d.err(`invalid duration: ${d.val()}`);
      if (v <= 0) throw d.err(`invalid duration: ${d.val()}, max_age should be non-zero and positive`);
      if (d.nextArg()) throw d.argErr();
      out.max_age = v;
      continue;
    }
    if (d.val() !== 'fallback') throw d.err(`unrecognized option '${d.val()}'`);
    if (!d.nextArg()) throw d.argErr();
    if (out.fallback !== undefined) throw d.err('fallback selection policy already specified');
    out.fallback = parseSelectionPolicy(d);
  }
}

const POLICIES = {
  random: noArgs,
  least_conn: noArgs,
  round_robin: noArgs,
  first: noArgs,
  ip_hash: noArgs,
  client_ip_hash: noArgs,
  uri_hash: noArgs,
  random_choose(d) {
    d.next();
    if (!d.nextArg()) throw d.argErr();
    const n = atoi(d.val());
    if (typeof n === 'string') throw d.err(`invalid choice value '${d.val()}': ${n}`);
    return { choose: n };
  },
  weighted_round_robin(d) {
    d.next();
    const args = d.remainingArgs();
    if (args.length === 0) throw d.argErr();
    const weights: number[] = [];
    for (const w of args) {
      const n = atoi(w);
      if (typeof n === 'string') throw d.err(`invalid weight value '${w}': ${n}`);
      if (n < 0) throw d.err(`invalid weight value '${w}': weight should be non-negative`);
      weights.push(n);
    }
    return { weights };
  },
  query(d) {
    d.next();
    if (!d.nextArg()) throw d.argErr();
    const out: SelectionPolicies['query'] = { key: d.val() };
    fallbackBlock(d, out);
    return out;
  },
  header(d) {
    d.next();
    if (!d.nextArg()) throw d.argErr();
    const out: SelectionPolicies['header'] = { field: d.val() };
    fallbackBlock(d, out);
    return out;
  },
  cookie(d) {
    d.next();
    const args = d.remainingArgs();
    if (args.length > 2) throw d.argErr();
    const out: SelectionPolicies['cookie'] = {};
    if (args.length >= 1) out.name = args[0];
    if (args.length === 2) out.secret = args[1];
    fallbackBlock(d, out, true);
    return out;
  },
} satisfies PolicyParsers;

export const LB_POLICIES = guestModules('http-lb-policy', POLICIES, {
  random: {
    syntax: 'random',
    doc: 'Chooses a random upstream.',
  },
  least_conn: {
    syntax: 'least_conn',
    doc: 'Chooses the upstream with the fewest requests.',
  },
  round_robin: {
    syntax: 'round_robin',
    doc: 'Chooses upstreams in turn.',
  },
  first: {
    syntax: 'first',
    doc: 'Chooses the first available upstream.',
  },
  ip_hash: {
    syntax: 'ip_hash',
    doc: 'Chooses an upstream by a hash of the remote IP.',
  },
  client_ip_hash: {
    syntax: 'client_ip_hash',
    doc: 'Chooses an upstream by a hash of the client IP.',
  },
  uri_hash: {
    syntax: 'uri_hash',
    doc: 'Chooses an upstream by a hash of the request URI.',
  },
  random_choose: {
    syntax: 'random_choose <n>',
    doc: 'Chooses the least loaded of n random upstreams.',
  },
  weighted_round_robin: {
    syntax: 'weighted_round_robin <weights...>',
    doc: 'Chooses upstreams in turn, in proportion to their weights.',
  },
  query: {
    syntax: 'query <key> { fallback <policy> }',
    doc: 'Chooses an upstream by a hash of a query parameter.',
    subdirectives: [
      { name: 'fallback', syntax: 'fallback <policy> [...]', doc: 'The policy to use when the key is missing.' },
    ],
  },
  header: {
    syntax: 'header <field> { fallback <policy> }',
    doc: 'Chooses an upstream by a hash of a request header.',
    subdirectives: [
      { name: 'fallback', syntax: 'fallback <policy> [...]', doc: 'The policy to use when the key is missing.' },
    ],
  },
  cookie: {
    syntax: 'cookie [<name> [<secret>]] { fallback <policy>; max_age <duration> }',
    doc: 'Sticks a client to an upstream with a cookie.',
    subdirectives: [
      { name: 'fallback', syntax: 'fallback <policy> [...]', doc: 'The policy to use when the key is missing.' },
      { name: 'max_age', syntax: 'max_age <duration>', doc: "The cookie's max age." },
    ],
  },
});

/**
 * Parses the policy whose name is the current token (`lb_policy NAME ...` or `fallback NAME ...`), as Caddy's
 * `caddyfile.UnmarshalModule` does, into a module object with `policy`.
 */
export function parseSelectionPolicy(d: Dispenser): SelectionPolicy {
  const name = d.val();
  const id = `http.reverse_proxy.selection_policies.${name}`;
  const parse = lookup('http-lb-policy', name)?.parse;
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  const out = parse(d.newFromNextSegment());
  omitZero(out, 'choose', 'key', 'field', 'name', 'secret', 'max_age');
  return moduleObject<SelectionPolicy>('policy', name, out);
}
