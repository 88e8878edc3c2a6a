import fc from 'fast-check';
import type { Layer4MatcherSet } from '@proxy/contract';
import { describe, expect, it } from 'vitest';
import type { RuleExpr } from '../src/rule.js';
import { checkTcpRule, lowerTcpRule } from '../src/tcp-rule.js';
import { evalRuleExpr, ruleArbitrary, ruleField as field } from './rule-support.js';

/** What a TCP rule sees of a connection. */
interface Conn {
  tls: boolean;
  sni: string;
  alpn: string[];
  ip: string;
}

/** Traefik's meaning of a rule (pkg/muxer/tcp/matcher.go), for the few values the tests use. */
function evalRule(e: RuleExpr, c: Conn): boolean {
  return evalRuleExpr(e, (m) => {
    const a = m.args[0]!;
    if (m.name === 'HostSNI') return a === '*' || a === c.sni;
    if (m.name === 'ALPN') return c.alpn.includes(a);
    if (m.name === 'ClientIP') return c.ip === a;
    return new RegExp(a).test(c.sni);
  });
}

/** caddy-l4's meaning of matcher sets: any set, each with all its matchers. */
function evalSets(sets: Layer4MatcherSet[], c: Conn): boolean {
  return sets.some((s) => evalSet(s, c));
}
function evalSet(s: Layer4MatcherSet, c: Conn): boolean {
  for (const [k, v] of Object.entries(s)) {
    if (k === 'not') {
      if (evalSets(v as Layer4MatcherSet[], c)) return false;
    } else if (k === 'remote_ip') {
      if (!(v as { ranges: string[] }).ranges.includes(c.ip)) return false;
    } else if (k === 'tls') {
      if (!c.tls) return false;
      const t = v as { sni?: string[]; alpn?: string[]; sni_regexp?: { pattern: string } };
      if (t.sni && !t.sni.includes(c.sni)) return false;
      if (t.alpn && !t.alpn.some((p) => c.alpn.includes(p))) return false;
      if (t.sni_regexp && !new RegExp(t.sni_regexp.pattern).test(c.sni)) return false;
    } else {
      throw new Error(`unexpected matcher ${k}`);
    }
  }
  return true;
}

const SNIS = ['a.io', 'b.io', 'c.io'];
const ALPNS = ['h2', 'postgresql'];
const IPS = ['10.0.0.1', '10.0.0.2'];

const leaf = fc.oneof(
  fc.constantFrom(...SNIS, '*').map((s) => `HostSNI(\`${s}\`)`),
  fc.constantFrom(...ALPNS).map((p) => `ALPN("${p}")`),
  fc.constantFrom(...IPS).map((ip) => `ClientIP(\`${ip}\`)`),
  fc.constant('HostSNIRegexp(`^[ab]\\.`)'),
);
const rule = ruleArbitrary(leaf);

const conns: Conn[] = [];
for (const sni of [...SNIS, ''])
  for (const alpn of [[], ['h2'], ['h2', 'postgresql']]) for (const ip of IPS) conns.push({ tls: true, sni, alpn, ip });

describe('TCP rules lowered to caddy-l4 matcher sets', () => {
  it('match exactly the ClientHellos the rule matches (random rules, every connection kind)', () => {
    fc.assert(
      fc.property(rule, (text) => {
        const r = checkTcpRule(field(text), true);
        const sets = lowerTcpRule(r, true);
        for (const c of conns) expect(evalSets(sets, c), `${text} on ${JSON.stringify(c)}`).toBe(evalRule(r.expr, c));
        // a TLS route never takes a connection that is not TLS
        expect(evalSets(sets, { tls: false, sni: '', alpn: [], ip: IPS[0]! })).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('of non-TLS routers match every plain connection their rule matches', () => {
    for (const text of ['HostSNI(`*`)', 'HostSNI(`*`) && ClientIP(`10.0.0.1`)', '!ClientIP(`10.0.0.2`)']) {
      const r = checkTcpRule(field(text), false);
      const sets = lowerTcpRule(r, false);
      for (const ip of IPS) {
        const c = { tls: false, sni: '', alpn: [], ip };
        expect(evalSets(sets, c), `${text} from ${ip}`).toBe(evalRule(r.expr, c));
      }
    }
  });

  it('canonicalise HostSNI as Traefik does (lower case, no trailing dot) and collect its domains', () => {
    const r = checkTcpRule(field('HostSNI(`A.Example.COM.`) || HostSNI(`*`)'), true);
    expect(r.domains).toEqual(['a.example.com']);
    expect(lowerTcpRule(r, true)).toEqual([{ tls: { sni: ['a.example.com'] } }, { tls: {} }]);
    expect(checkTcpRule(field('HostSNI(`*`)'), true).catchAll).toBe(true);
    expect(checkTcpRule(field('HostSNI(`*`) && ClientIP(`::1`)'), true).catchAll).toBe(false);
  });

  it('refuse what Traefik refuses, at the argument column', () => {
    const bad = (text: string, tls = true): string => {
      try {
        checkTcpRule(field(text), tls);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(bad('HostSNI(`a`, `b`)')).toContain('invalid rule at column 1: HostSNI takes exactly one argument');
    expect(bad('HostSNI(`bücher.de`)')).toContain('column 9: HostSNI: non-ASCII characters are not allowed');
    expect(bad('HostSNI(`a..b`)')).toContain('column 9: HostSNI: "a..b" is not a valid host name');
    expect(bad('HostSNI(`a.*.b`)')).toContain('is not a valid host name');
    expect(bad('ClientIP(`10.0.0.0/33`)')).toContain('column 10: ClientIP: "10.0.0.0/33" is not an IP address');
    expect(bad('ClientIP(`example.com`)')).toContain('is not an IP address or CIDR range');
    expect(bad('hostsni(`a`)')).toContain('unknown TCP matcher hostsni (did you mean HostSNI?)');
    expect(bad('ALPN(`h2`)', false)).toContain('ALPN needs TLS on the router');
    expect(bad('HostSNIRegexp(`a`)', false)).toContain('HostSNIRegexp needs TLS on the router');
    expect(bad('   ')).toContain('a TCP router needs a rule');
  });
});
