import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHttpRule, defaultHttpPriority, lowerHttpRule, type HttpMatcherSet } from '../src/http-rule.js';
import type { RuleExpr } from '../src/rule.js';
import { evalRuleExpr, ruleArbitrary, ruleField as field } from './rule-support.js';

/** What an HTTP rule sees of a request. */
interface Req {
  host: string;
  method: string;
  path: string;
  headers: Record<string, string[]>;
  query: Record<string, string[]>;
  ip: string;
}

/** Traefik v3's meaning of a rule (pkg/muxer/http/matcher.go), for the values the tests use. */
function evalRule(e: RuleExpr, r: Req): boolean {
  return evalRuleExpr(e, (m) => {
    const [a, b] = m.args as [string, string | undefined];
    switch (m.name) {
      case 'Host':
        return r.host.toLowerCase() === a;
      case 'HostRegexp':
        return new RegExp(a).test(r.host.toLowerCase());
      case 'Method':
        return r.method === a;
      case 'Path':
        return r.path === a;
      case 'PathPrefix':
        return r.path.startsWith(a);
      case 'PathRegexp':
        return new RegExp(a).test(r.path);
      case 'Header':
        return (r.headers[a] ?? []).includes(b!);
      case 'HeaderRegexp':
        return (r.headers[a] ?? []).some((v) => new RegExp(b!).test(v));
      case 'Query':
        return (r.query[a] ?? []).includes(b ?? '');
      case 'QueryRegexp':
        return (r.query[a] ?? []).some((v) => new RegExp(b!).test(v));
      default:
        return r.ip === a;
    }
  });
}

/** Caddy's meaning of matcher sets (host case-insensitive, `*` query value = any, vars_regexp on the first value). */
function evalSets(sets: HttpMatcherSet[], r: Req): boolean {
  return sets.some((s) => evalSet(s, r));
}
function evalSet(s: HttpMatcherSet, r: Req): boolean {
  for (const [k, v] of Object.entries(s)) {
    let ok: boolean;
    switch (k) {
      case 'not':
        ok = !evalSets(v as HttpMatcherSet[], r);
        break;
      case 'host':
        ok = (v as string[]).some((h) => h.toLowerCase() === r.host.toLowerCase());
        break;
      case 'method':
        ok = (v as string[]).includes(r.method);
        break;
      case 'path_regexp':
        ok = new RegExp((v as { pattern: string }).pattern).test(r.path);
        break;
      case 'remote_ip':
        ok = (v as { ranges: string[] }).ranges.includes(r.ip);
        break;
      case 'header':
        ok = Object.entries(v as Record<string, string[]>).every(([f, vals]) =>
          vals.some((want) => (r.headers[f] ?? []).includes(want)),
        );
        break;
      case 'header_regexp':
        ok = Object.entries(v as Record<string, { pattern: string }>).every(([f, re]) =>
          (r.headers[f] ?? []).some((x) => new RegExp(re.pattern).test(x)),
        );
        break;
      case 'query':
        ok = Object.entries(v as Record<string, string[]>).every(([f, vals]) => {
          const got = r.query[f];
          return got !== undefined && vals.some((want) => want === '*' || got.includes(want));
        });
        break;
      case 'vars_regexp':
        ok = Object.entries(v as Record<string, { pattern: string }>).every(([key, re]) => {
          const q = /^\{http\.request\.uri\.query\.(.*)\}$/.exec(key);
          const value = key === '{http.request.host}' ? r.host : q ? (r.query[q[1]!]?.[0] ?? '') : undefined;
          if (value === undefined) throw new Error(`unexpected vars_regexp key ${key}`);
          // Go's (?i) prefix as JavaScript's flag
          const ci = re.pattern.startsWith('(?i)');
          return new RegExp(ci ? re.pattern.slice(4) : re.pattern, ci ? 'i' : '').test(value);
        });
        break;
      default:
        throw new Error(`unexpected matcher ${k}`);
    }
    if (!ok) return false;
  }
  return true;
}

const leaf = fc.oneof(
  fc.constantFrom('a.io', 'b.io').map((h) => `Host(\`${h}\`)`),
  fc.constant('HostRegexp(`^b\\.`)'),
  fc.constantFrom('GET', 'POST').map((m) => `Method(\`${m}\`)`),
  fc.constantFrom('/api', '/').map((p) => `Path(\`${p}\`)`),
  fc.constantFrom('/api', '/a').map((p) => `PathPrefix(\`${p}\`)`),
  fc.constant('PathRegexp(`^/api/v[0-9]$`)'),
  fc.constantFrom('1', '2').map((v) => `Header(\`X-A\`, \`${v}\`)`),
  fc.constant('HeaderRegexp(`X-A`, `^[2-3]$`)'),
  fc.constantFrom('1', '').map((v) => (v ? `Query(\`q\`, \`${v}\`)` : 'Query(`q`)')),
  fc.constant('QueryRegexp(`q`, `^1`)'),
  fc.constantFrom('10.0.0.1', '10.0.0.2').map((ip) => `ClientIP(\`${ip}\`)`),
);
const rule = ruleArbitrary(leaf);

const requests: Req[] = [];
for (const host of ['a.io', 'b.io', 'B.io'])
  for (const method of ['GET', 'POST'])
    for (const path of ['/', '/api', '/api/v1', '/about'])
      for (const headers of [{}, { 'X-A': ['1'] }, { 'X-A': ['2', '1'] }] as Record<string, string[]>[])
        for (const query of [{}, { q: [''] }, { q: ['1'] }, { q: ['2', '1'] }] as Record<string, string[]>[])
          for (const ip of ['10.0.0.1', '10.0.0.2']) requests.push({ host, method, path, headers, query, ip });

describe('HTTP rules lowered to Caddy matcher sets', () => {
  it('match exactly the requests the rule matches (random rules, many request shapes)', () => {
    fc.assert(
      fc.property(rule, (text) => {
        const r = checkHttpRule(field(text));
        const sets = lowerHttpRule(r);
        // QueryRegexp sees the first value of the key only (README: differences): repeated keys are left out there.
        const shapes = text.includes('QueryRegexp')
          ? requests.filter((q) => (q.query['q'] ?? []).length < 2)
          : requests;
        for (const q of shapes) expect(evalSets(sets, q), `${text} on ${JSON.stringify(q)}`).toBe(evalRule(r.expr, q));
      }),
      { numRuns: 300 },
    );
  });

  it('keep paths exact and case-sensitive (Caddy path matchers ignore case)', () => {
    expect(lowerHttpRule(checkHttpRule(field('Path(`/a.b`) || PathPrefix(`/x(y)`)')))).toEqual([
      { path_regexp: { pattern: '^/a\\.b$' } },
      { path_regexp: { pattern: '^/x\\(y\\)' } },
    ]);
  });

  it('merge alternatives of one list and escape what Caddy would read as globs or placeholders', () => {
    const lowered = (text: string) => lowerHttpRule(checkHttpRule(field(text)));
    expect(lowered('Host(`A.io`) || Host(`b.io`) || Method(`get`)')).toEqual([
      { host: ['a.io', 'b.io'] },
      { method: ['GET'] },
    ]);
    expect(lowered('Header(`x-a`, `1`) || Header(`X-A`, `{x}`)')).toEqual([{ header: { 'X-A': ['1', '\\{x\\}'] } }]);
    expect(lowered('Header(`X-A`, `*.b`)')).toEqual([{ header_regexp: { 'X-A': { pattern: '^\\*\\.b$' } } }]);
    expect(lowered('Host(`a.io`) && Host(`b.io`)')).toEqual([{ host: ['a.io'], not: [{ not: [{ host: ['b.io'] }] }] }]);
  });

  it('collect Host domains for TLS options and take the rule length as the default priority', () => {
    const r = checkHttpRule(field('Host(`A.io.`) && (Host(`b.io`) || !Host(`a.io`))'));
    expect(r.domains).toEqual(['a.io', 'b.io']);
    expect(defaultHttpPriority(checkHttpRule(field('Path(`/é`) || Path(`/`)')))).toBe(
      'Path(`/é`) || Path(`/`)'.length + 1,
    );
  });

  it('refuse what Traefik refuses, at the argument column', () => {
    const bad = (text: string): string => {
      try {
        checkHttpRule(field(text));
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(bad('Host(`a`, `b`)')).toContain('invalid rule at column 1: Host takes exactly 1 argument');
    expect(bad('Header(`a`)')).toContain('Header takes exactly 2 arguments');
    expect(bad('Query(`a`, `b`, `c`)')).toContain('Query takes 1 or 2 arguments');
    expect(bad('Path(`api`)')).toContain('column 6: Path: path "api" does not start with a "/"');
    expect(bad('Host(`*.example.com`)')).toContain('is not a host name (HostRegexp matches patterns)');
    expect(bad('Host(`bücher.de`)')).toContain('non-ASCII characters are not allowed');
    expect(bad('PathRegexp(`(`)')).toContain('PathRegexp: invalid regular expression "("');
    expect(bad('ClientIP(`10.0.0.0/33`)')).toContain('"10.0.0.0/33" is not an IP address or CIDR range');
    expect(bad('host(`a`)')).toContain('unknown HTTP matcher host (did you mean Host?)');
    expect(bad('HostSNI(`a`)')).toContain('unknown HTTP matcher HostSNI (HTTP matchers: Host, HostRegexp');
    expect(bad('Host(`a`) &&')).toContain('invalid rule at column 13');
  });
});
