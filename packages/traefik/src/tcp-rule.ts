/**
 * @module tcp-rule: a TCP router's rule checked against Traefik's TCP matchers (pkg/muxer/tcp/matcher.go) and lowered
 * to caddy-l4 matcher sets. A set's keys all have to match and the sets of a list are alternatives; `&&` puts
 * matchers in one set (a key already taken goes in as `not: [{not: [...]}]`), `||` makes alternatives, `!` a `not`.
 */
import { isIP } from 'node:net';
import type { Layer4MatcherSet, Layer4TlsMatcher } from '@proxy/contract';
import type { Field } from './reader.js';
import { matchersOf, type RuleExpr } from './rule.js';
import { parseRuleField } from './router-fields.js';
import { lowerRuleExpr, type RuleMatcher as Matcher, union } from './rule-lower.js';

/** A checked TCP rule. */
export interface TcpRule {
  text: string;
  expr: RuleExpr;
  /** The HostSNI domains (lower case), as Traefik collects them to pick TLS options. */
  domains: string[];
  /** The rule is `HostSNI(\`*\`)` alone: Traefik's catch-all. */
  catchAll: boolean;
}

const MATCHERS = ['HostSNI', 'HostSNIRegexp', 'ClientIP', 'ALPN'];
/** Traefik's host check for HostSNI (v3 syntax: one name, `*` or a leading `*.` label). */
const HOST = /^(\*|(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)$/;

/** Parses and checks `rule`; errors name the rule's key and the column in the rule. */
export function checkTcpRule(field: Field, tls: boolean): TcpRule {
  const { text, expr } = parseRuleField(field, 'a TCP router');
  const domains: string[] = [];
  for (const m of matchersOf(expr)) {
    const at = `at column ${m.offset + 1}`;
    if (!MATCHERS.includes(m.name)) {
      const hint = MATCHERS.find((n) => n.toLowerCase() === m.name.toLowerCase());
      throw field.error(
        `invalid rule ${at}: unknown TCP matcher ${m.name}${hint ? ` (did you mean ${hint}?)` : ` (TCP matchers: ${MATCHERS.join(', ')})`}`,
      );
    }
    if (m.args.length !== 1) throw field.error(`invalid rule ${at}: ${m.name} takes exactly one argument`);
    const arg = m.args[0]!;
    const argAt = `at column ${m.argOffsets[0]! + 1}`;
    switch (m.name) {
      case 'HostSNI': {
        // eslint-disable-next-line no-control-regex
        if (/[^\x00-\x7f]/.test(arg))
          throw field.error(`invalid rule ${argAt}: HostSNI: non-ASCII characters are not allowed (use punycode)`);
        const host = arg.toLowerCase().replace(/\.$/, '');
        if (!HOST.test(host))
          throw field.error(`invalid rule ${argAt}: HostSNI: ${JSON.stringify(arg)} is not a valid host name`);
        m.args[0] = host;
        if (host === '*') break;
        if (!tls) {
          throw field.error(
            `invalid rule ${argAt}: HostSNI(\`${host}\`) needs TLS on the router (only HostSNI(\`*\`) matches without TLS)`,
          );
        }
        domains.push(host);
        break;
      }
      case 'HostSNIRegexp':
        // eslint-disable-next-line no-control-regex
        if (/[^\x00-\x7f]/.test(arg))
          throw field.error(
            `invalid rule ${argAt}: HostSNIRegexp: non-ASCII characters are not allowed (use punycode)`,
          );
        if (!tls) throw field.error(`invalid rule ${at}: HostSNIRegexp needs TLS on the router`);
        break;
      case 'ALPN':
        if (arg === '') throw field.error(`invalid rule ${argAt}: ALPN: empty protocol`);
        if (arg === 'acme-tls/1')
          throw field.error(`invalid rule ${argAt}: ALPN: the acme-tls/1 protocol is reserved for ACME`);
        if (!tls) throw field.error(`invalid rule ${at}: ALPN needs TLS on the router`);
        break;
      case 'ClientIP': {
        const [ip, bits, extra] = arg.split('/');
        const family = isIP(ip ?? '');
        const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
        if (family === 0 || !okBits || extra !== undefined)
          throw field.error(
            `invalid rule ${argAt}: ClientIP: ${JSON.stringify(arg)} is not an IP address or CIDR range`,
          );
        break;
      }
    }
  }
  const catchAll = expr.kind === 'matcher' && expr.name === 'HostSNI' && expr.args[0] === '*';
  return { text, expr, domains, catchAll };
}

/** Traefik's default priority: the rule's length in bytes; the lone `HostSNI(\`*\`)` catch-all goes last (-1). */
export function defaultPriority(rule: TcpRule): number {
  // Go's len(): bytes, not UTF-16 units.
  return rule.catchAll ? -1 : Buffer.byteLength(rule.text);
}

/** The rule as caddy-l4 matcher sets; a TLS route's sets also require a ClientHello (`tls`). */
export function lowerTcpRule(rule: TcpRule, tls: boolean): Layer4MatcherSet[] {
  const sets = lowerRuleExpr(rule.expr, { leaf, merge, simplifyOr });
  if (!tls) return sets;
  return sets.map((s) => (s.tls ? s : { tls: {}, ...s }));
}

function leaf(m: Matcher): Layer4MatcherSet {
  const arg = m.args[0]!;
  switch (m.name) {
    case 'HostSNI':
      return arg === '*' ? {} : { tls: { sni: [arg] } };
    case 'HostSNIRegexp':
      return { tls: { sni_regexp: { pattern: arg } } };
    case 'ALPN':
      return { tls: { alpn: [arg] } };
    default:
      return { remote_ip: { ranges: [arg] } };
  }
}

/** Both sets at once. */
function merge(a: Layer4MatcherSet, b: Layer4MatcherSet): Layer4MatcherSet {
  const out: Layer4MatcherSet = { ...a };
  const rec = out as Record<string, unknown>;
  for (const [k, v] of Object.entries(b) as [keyof Layer4MatcherSet, unknown][]) {
    if (rec[k] === undefined) {
      rec[k] = v;
    } else if (k === 'not') {
      // !x && !y == !(x || y)
      out.not = [...out.not!, ...(v as Layer4MatcherSet[])];
    } else if (k === 'tls' && disjoint(out.tls!, v as Layer4TlsMatcher)) {
      out.tls = { ...out.tls!, ...(v as Layer4TlsMatcher) };
    } else {
      // the key is taken: x && y == x && !!y
      out.not = [...(out.not ?? []), { not: [{ [k]: v } as Layer4MatcherSet] }];
    }
  }
  return out;
}

function disjoint(a: Layer4TlsMatcher, b: Layer4TlsMatcher): boolean {
  return Object.keys(b).every((k) => (a as Record<string, unknown>)[k] === undefined);
}

/** Alternatives that differ only in one list (SNI names, ALPN protocols, IP ranges) become one. */
function simplifyOr(sets: Layer4MatcherSet[]): Layer4MatcherSet[] {
  const out: Layer4MatcherSet[] = [];
  for (const s of sets) {
    const kind = listKind(s);
    const prev = kind ? out.find((o) => listKind(o) === kind) : undefined;
    if (!prev || !kind) {
      out.push(structuredClone(s));
      continue;
    }
    if (kind === 'remote_ip') prev.remote_ip!.ranges = union(prev.remote_ip!.ranges!, s.remote_ip!.ranges!);
    else if (kind === 'sni') prev.tls!.sni = union(prev.tls!.sni!, s.tls!.sni!);
    else prev.tls!.alpn = union(prev.tls!.alpn!, s.tls!.alpn!);
  }
  return out;
}

function listKind(s: Layer4MatcherSet): 'sni' | 'alpn' | 'remote_ip' | undefined {
  const keys = Object.keys(s);
  if (keys.length !== 1) return undefined;
  if (s.remote_ip && Object.keys(s.remote_ip).length === 1 && s.remote_ip.ranges) return 'remote_ip';
  if (!s.tls) return undefined;
  const t = Object.keys(s.tls);
  if (t.length !== 1) return undefined;
  return s.tls.sni ? 'sni' : s.tls.alpn ? 'alpn' : undefined;
}
