/**
 * @module http-rule: an HTTP router's rule checked against Traefik v3's HTTP matchers (pkg/muxer/http/matcher.go)
 * and lowered to Caddy HTTP matcher sets. As in tcp-rule.ts: a set's keys all have to match, the sets of a list are
 * alternatives, `&&` merges sets (a key already taken goes in as `not: [{not: [...]}]`), `||` makes alternatives and
 * `!` a `not`. Traefik compares paths, header and query values exactly and case-sensitively, so paths become
 * anchored `path_regexp`s (Caddy's `path` matcher ignores case) and values Caddy would read as globs or
 * placeholders are escaped.
 */
import { isIP } from 'node:net';
import type { AdaptedMatcherSet } from '@proxy/contract';
import type { Field } from './reader.js';
import { matchersOf, type RuleExpr } from './rule.js';
import { parseRuleField } from './router-fields.js';
import { lowerRuleExpr, type RuleMatcher as Matcher, union } from './rule-lower.js';
export type HttpMatcherSet = AdaptedMatcherSet;

/** A checked HTTP rule. */
export interface HttpRule {
  text: string;
  expr: RuleExpr;
  /** The Host domains (lower case): Traefik picks a TLS router's options by them. */
  domains: string[];
}

/** Each matcher with the numbers of arguments it takes. */
const ARITY: Record<string, [number, number]> = {
  Host: [1, 1],
  HostRegexp: [1, 1],
  Method: [1, 1],
  Path: [1, 1],
  PathPrefix: [1, 1],
  PathRegexp: [1, 1],
  Header: [2, 2],
  HeaderRegexp: [2, 2],
  Query: [1, 2],
  QueryRegexp: [2, 2],
  ClientIP: [1, 1],
};
const MATCHERS = Object.keys(ARITY);

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A literal for a Caddy field that expands placeholders: braces escaped. */
export function literal(s: string): string {
  return s.replace(/[{}]/g, '\\$&');
}

/** Go's http.CanonicalHeaderKey, for the header names a rule compares. */
export function canonicalHeader(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

/** Parses and checks `rule`; errors name the rule's key and the column in the rule. */
export function checkHttpRule(field: Field): HttpRule {
  const { text, expr } = parseRuleField(field, 'an HTTP router');
  const domains: string[] = [];
  for (const m of matchersOf(expr)) {
    const at = `at column ${m.offset + 1}`;
    const arity = ARITY[m.name];
    if (!arity) {
      const hint = MATCHERS.find((n) => n.toLowerCase() === m.name.toLowerCase());
      throw field.error(
        `invalid rule ${at}: unknown HTTP matcher ${m.name}${hint ? ` (did you mean ${hint}?)` : ` (HTTP matchers: ${MATCHERS.join(', ')})`}`,
      );
    }
    const [min, max] = arity;
    if (m.args.length < min || m.args.length > max) {
      const want = min === max ? `exactly ${min} argument${min > 1 ? 's' : ''}` : `${min} or ${max} arguments`;
      throw field.error(`invalid rule ${at}: ${m.name} takes ${want}`);
    }
    const arg = m.args[0]!;
    const argAt = `at column ${m.argOffsets[0]! + 1}`;
    const bad = (msg: string) => field.error(`invalid rule ${argAt}: ${m.name}: ${msg}`);
    switch (m.name) {
      case 'Host': {
        // eslint-disable-next-line no-control-regex
        if (/[^\x00-\x7f]/.test(arg)) throw bad('non-ASCII characters are not allowed (use punycode)');
        if (arg === '') throw bad('empty host');
        if (/[*{}\s/]/.test(arg)) throw bad(`${JSON.stringify(arg)} is not a host name (HostRegexp matches patterns)`);
        // Traefik compares lower case and ignores a trailing dot on either side.
        const host = arg.toLowerCase().replace(/\.$/, '');
        m.args[0] = host;
        if (!domains.includes(host)) domains.push(host);
        break;
      }
      case 'HostRegexp':
        // eslint-disable-next-line no-control-regex
        if (/[^\x00-\x7f]/.test(arg)) throw bad('non-ASCII characters are not allowed (use punycode)');
        checkRegexp(arg, bad);
        break;
      case 'Method':
        if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(arg)) throw bad(`${JSON.stringify(arg)} is not a method`);
        m.args[0] = arg.toUpperCase();
        break;
      case 'Path':
      case 'PathPrefix':
        if (!arg.startsWith('/')) throw bad(`path ${JSON.stringify(arg)} does not start with a "/"`);
        break;
      case 'PathRegexp':
        checkRegexp(arg, bad);
        break;
      case 'Header':
      case 'HeaderRegexp':
      case 'Query':
      case 'QueryRegexp':
        if (arg === '') throw bad('empty name');
        if (m.name.endsWith('Regexp')) checkRegexp(m.args[1]!, bad);
        break;
      case 'ClientIP': {
        const [ip, bits, extra] = arg.split('/');
        const family = isIP(ip ?? '');
        const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
        if (family === 0 || !okBits || extra !== undefined)
          throw bad(`${JSON.stringify(arg)} is not an IP address or CIDR range`);
        break;
      }
    }
  }
  return { text, expr, domains };
}

/**
 * What JavaScript refuses of a pattern is refused here at the rule's line; Go (RE2) syntax JavaScript lacks, such as
 * `(?P<name>` or inline flags, is left for the runtime, which translates Go regexps.
 */
function checkRegexp(pattern: string, bad: (msg: string) => Error): void {
  const js = pattern.replace(/\(\?P</g, '(?<').replace(/^\(\?[imsU]+\)/, '');
  if (/\(\?[imsU-]+[):]/.test(js)) return;
  try {
    new RegExp(js, 'u');
  } catch {
    try {
      new RegExp(js);
    } catch (e) {
      throw bad(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }
}

/** Traefik's default priority: the rule's length in bytes (Go's len()). */
export function defaultHttpPriority(rule: HttpRule): number {
  return Buffer.byteLength(rule.text);
}

/** The rule as Caddy HTTP matcher sets. */
export function lowerHttpRule(rule: HttpRule): HttpMatcherSet[] {
  return lowerRuleExpr(rule.expr, { leaf, merge, simplifyOr });
}

function leaf(m: Matcher): HttpMatcherSet {
  const [a, b] = m.args as [string, string | undefined];
  switch (m.name) {
    case 'Host':
      return { host: [a] };
    case 'HostRegexp':
      // Traefik matches the host without its port, as `{http.request.host}` is, and lower-cased: ignoring case is
      // the same for a pattern without upper-case letters (escapes such as \S aside).
      return {
        vars_regexp: { '{http.request.host}': { pattern: /[A-Z]/.test(a.replace(/\\./g, '')) ? a : `(?i)${a}` } },
      };
    case 'Method':
      return { method: [a] };
    case 'Path':
      return { path_regexp: { pattern: `^${quoteMeta(a)}$` } };
    case 'PathPrefix':
      return { path_regexp: { pattern: `^${quoteMeta(a)}` } };
    case 'PathRegexp':
      return { path_regexp: { pattern: a } };
    case 'Header': {
      const name = canonicalHeader(a);
      // Caddy's header matcher reads `*` at either end as a glob: such values are matched as a regexp.
      if (b!.startsWith('*') || b!.endsWith('*'))
        return { header_regexp: { [name]: { pattern: `^${quoteMeta(b!)}$` } } };
      return { header: { [name]: [literal(b!)] } };
    }
    case 'HeaderRegexp':
      return { header_regexp: { [canonicalHeader(a)]: { pattern: b! } } };
    case 'Query': {
      // One argument: the key with an empty value (Traefik's v3 semantics).
      const value = b ?? '';
      // Caddy's query matcher reads a lone `*` as "any value".
      if (value === '*')
        return {
          query: { [literal(a)]: ['*'] },
          vars_regexp: { [`{http.request.uri.query.${a}}`]: { pattern: '^\\*$' } },
        };
      return { query: { [literal(a)]: [literal(value)] } };
    }
    case 'QueryRegexp':
      // The first value of the key is what the placeholder gives; `*` requires the key to be there.
      return {
        query: { [literal(a)]: ['*'] },
        vars_regexp: { [`{http.request.uri.query.${a}}`]: { pattern: b! } },
      };
    default:
      return { remote_ip: { ranges: [a] } };
  }
}

type SetRecord = Record<string, unknown>;

/** Keys whose value is a map of independent fields: disjoint fields of two sets merge. */
const MAP_KEYS = new Set(['header', 'header_regexp', 'query', 'vars_regexp']);

/** Both sets at once. */
function merge(a: HttpMatcherSet, b: HttpMatcherSet): HttpMatcherSet {
  const out: SetRecord = structuredClone(a) as SetRecord;
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (prev === undefined) {
      out[k] = structuredClone(v);
    } else if (k === 'not') {
      // !x && !y == !(x || y)
      out['not'] = [...(prev as HttpMatcherSet[]), ...(v as HttpMatcherSet[])];
    } else if (MAP_KEYS.has(k) && disjoint(prev as SetRecord, v as SetRecord)) {
      out[k] = { ...(prev as SetRecord), ...(structuredClone(v) as SetRecord) };
    } else {
      // the key is taken: x && y == x && !!y
      out['not'] = [...((out['not'] as HttpMatcherSet[] | undefined) ?? []), { not: [{ [k]: v } as HttpMatcherSet] }];
    }
  }
  return out as HttpMatcherSet;
}

function disjoint(a: SetRecord, b: SetRecord): boolean {
  return Object.keys(b).every((k) => a[k] === undefined);
}

/** Alternatives that differ only in one list (hosts, methods, IP ranges, one header's values) become one. */
function simplifyOr(sets: HttpMatcherSet[]): HttpMatcherSet[] {
  const out: HttpMatcherSet[] = [];
  for (const s of sets) {
    const kind = listKind(s);
    const prev = kind ? out.find((o) => listKind(o) === kind) : undefined;
    if (!prev || !kind) {
      out.push(structuredClone(s));
      continue;
    }
    if (kind === 'host') prev.host = union(prev.host!, s.host!);
    else if (kind === 'method') prev.method = union(prev.method!, s.method!);
    else if (kind === 'remote_ip') prev.remote_ip!.ranges = union(prev.remote_ip!.ranges!, s.remote_ip!.ranges!);
    else {
      const [key, field] = kind.split('\0') as ['header' | 'query', string];
      const p = prev[key] as Record<string, string[]>;
      p[field] = union(p[field]!, (s[key] as Record<string, string[]>)[field]!);
    }
  }
  return out;
}

/** The one list a single-matcher set holds, if any. */
function listKind(s: HttpMatcherSet): string | undefined {
  const keys = Object.keys(s);
  if (keys.length !== 1) return undefined;
  if (s.host) return 'host';
  if (s.method) return 'method';
  if (s.remote_ip) return 'remote_ip';
  for (const key of ['header', 'query'] as const) {
    const m = s[key];
    if (!m) continue;
    const fields = Object.keys(m);
    // `*` means "any value" to Caddy's query matcher: never merged with other values.
    if (fields.length === 1 && !(m[fields[0]!] ?? []).includes('*')) return `${key}\0${fields[0]}`;
  }
  return undefined;
}
